package io.lakehousecdc.app.job;

/**
 * The one scheme for operator uids. Savepoints map state to operators by uid, so these strings
 * are a compatibility promise: change them and a job can no longer restore older savepoints.
 */
final class Uids {
    private Uids() {}

    static String source(String sourceId) {
        return "source/" + sourceId;
    }

    static String normalize(String sourceId) {
        return "normalize/" + sourceId;
    }

    static String failedEvents(String sourceId) {
        return "failed-events/" + sourceId;
    }

    /** Prefix of the uids of a processed-zone table's write pipeline. */
    static String processed(String lakeTable) {
        return "processed/" + lakeTable;
    }

    /** Prefix of the uids of a table's raw-zone change log pipeline. */
    static String raw(String lakeTable) {
        return "raw/" + lakeTable;
    }
}
