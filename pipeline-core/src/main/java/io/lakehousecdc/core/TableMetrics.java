package io.lakehousecdc.core;

import org.apache.flink.metrics.MetricGroup;

import java.util.List;

/**
 * The names of the per-table metrics the job adds to Flink's own, kept in one place: operators
 * register them from here, and the Prometheus alert rules are checked against them.
 *
 * <p>Each metric hangs under the group {@value #GROUP} and the key/value group
 * {@value #TABLE_LABEL}={@code <lake table name>}. Flink's Prometheus reporter turns the key
 * into the metric name and the value into a label, so that every table's series share one
 * name: {@code flink_taskmanager_job_task_operator_lakehouse_table_recordsRead{table="..."}}
 * ({@link #PROMETHEUS_PREFIX} followed by the name).
 */
public final class TableMetrics {

    public static final String GROUP = "lakehouse";
    public static final String TABLE_LABEL = "table";

    /** What Flink's Prometheus reporter puts before each name below. */
    public static final String PROMETHEUS_PREFIX = "flink_taskmanager_job_task_operator_" + GROUP + "_" + TABLE_LABEL + "_";

    /** Counter: changes of the table the normalize step received, failed ones included. */
    public static final String RECORDS_READ = "recordsRead";
    /** Counter: of those, the rows read by the initial snapshot (or DMS full load). */
    public static final String SNAPSHOT_RECORDS_READ = "snapshotRecordsRead";
    /** Gauge, 0 or 1: the table's snapshot is over and its changes are streaming. */
    public static final String SNAPSHOT_COMPLETED = "snapshotCompleted";
    /** Counter: changes that could not be converted and went to the failed-events store. */
    public static final String FAILED_EVENTS = "failedEvents";
    /** Gauge, milliseconds: now minus the source commit time of the last change read. */
    public static final String SOURCE_LAG_MS = "sourceLagMs";
    /** Counter: rows handed to the table's Hudi writer. */
    public static final String RECORDS_WRITTEN = "recordsWritten";
    /** Gauge, milliseconds: now minus the completion time of the table's latest Hudi write commit. */
    public static final String LAST_COMMIT_AGE_MS = "lastCommitAgeMs";

    public static final List<String> NAMES = List.of(
            RECORDS_READ, SNAPSHOT_RECORDS_READ, SNAPSHOT_COMPLETED, FAILED_EVENTS, SOURCE_LAG_MS,
            RECORDS_WRITTEN, LAST_COMMIT_AGE_MS);

    private TableMetrics() {}

    /** The group of {@code table}'s metrics within an operator's metric group. */
    public static MetricGroup of(MetricGroup operator, TableId table) {
        return operator.addGroup(GROUP).addGroup(TABLE_LABEL, table.lakeName());
    }
}
