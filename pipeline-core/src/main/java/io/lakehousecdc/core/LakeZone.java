package io.lakehousecdc.core;

/** The zones of the lake, each a directory under the lake's base path. */
public enum LakeZone {
    /** Append-only change log: every change, deletes included. */
    RAW("raw"),
    /** One upserted row per key: the source table as it is now. */
    PROCESSED("processed");

    private final String directory;

    LakeZone(String directory) {
        this.directory = directory;
    }

    public String directory() {
        return directory;
    }
}
