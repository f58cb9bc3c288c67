package io.lakehousecdc.savepoints;

import java.time.Instant;

/**
 * A savepoint or retained checkpoint found in a directory.
 *
 * @param path the directory holding its {@code _metadata}
 * @param job the id of the job that wrote it: in full for checkpoints, the first six hex digits
 *     for savepoints (Flink names them {@code savepoint-<job prefix>-<random>})
 * @param completedAt when its metadata was written, i.e. when it completed
 * @param sizeBytes the bytes of the files in its directory; an incremental checkpoint's shared
 *     files live outside it and are not counted
 */
public record StoredSavepoint(String path, Kind kind, String job, Instant completedAt, long sizeBytes) {

    public enum Kind {
        SAVEPOINT,
        CHECKPOINT
    }

    /**
     * A savepoint directory named {@code dirName} in a directory named {@code parentName}: Flink
     * names savepoints {@code savepoint-<job prefix>-<random>} and keeps checkpoints as
     * {@code <job id>/chk-<n>}.
     */
    static StoredSavepoint in(String path, String dirName, String parentName, Instant completedAt, long sizeBytes) {
        boolean savepoint = dirName.startsWith("savepoint-");
        String job = savepoint ? dirName.substring("savepoint-".length()).split("-", 2)[0] : parentName;
        return new StoredSavepoint(path, savepoint ? Kind.SAVEPOINT : Kind.CHECKPOINT, job, completedAt, sizeBytes);
    }
}
