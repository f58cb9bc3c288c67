package io.lakehousecdc.lake;

/**
 * A reader of a raw-zone change log asked for the commits after one that the table's active
 * timeline no longer reaches back to: the commits in between were archived, so which rows they
 * wrote can no longer be told apart.
 */
public final class ChangeLogGapException extends RuntimeException {

    ChangeLogGapException(String path, String lastRead, String oldestKept) {
        super("The raw-zone table at " + path + " keeps commits from " + oldestKept + " on, but its reader is at " + lastRead
                + ": the commits in between have been archived");
    }
}
