package io.lakehousecdc.lake;

/**
 * A reader of a raw-zone change log asked for the commits after one that the table's active
 * timeline no longer reaches back to: the commits in between were archived, so which rows they
 * wrote can no longer be told apart.
 */
public final class ChangeLogGapException extends RuntimeException {

    private final String lastRead;
    private final String oldestKept;

    ChangeLogGapException(String path, String lastRead, String oldestKept) {
        super("The raw-zone table at " + path + " keeps commits from " + oldestKept + " on, but its reader is at " + lastRead
                + ": the commits in between have been archived");
        this.lastRead = lastRead;
        this.oldestKept = oldestKept;
    }

    /** The last commit the reader had. */
    public String lastRead() {
        return lastRead;
    }

    /** The oldest commit the table still tells apart. */
    public String oldestKept() {
        return oldestKept;
    }
}
