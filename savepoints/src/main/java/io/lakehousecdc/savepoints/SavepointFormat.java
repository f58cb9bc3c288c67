package io.lakehousecdc.savepoints;

/**
 * How a savepoint is written. Canonical savepoints are portable across state backends and Flink
 * versions; native ones are in the state backend's own format, faster to take and restore.
 */
public enum SavepointFormat {
    CANONICAL,
    NATIVE
}
