package io.lakehousecdc.lake;

import io.lakehousecdc.core.TableId;
import io.lakehousecdc.core.TableMetrics;

import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.table.data.RowData;
import org.apache.hudi.common.table.HoodieTableMetaClient;
import org.apache.hudi.common.table.timeline.HoodieActiveTimeline;
import org.apache.hudi.common.table.timeline.HoodieInstant;
import org.apache.hudi.common.util.Option;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.text.ParseException;

/**
 * Passes a table's rows on to its Hudi writer unchanged, counting them ({@link
 * TableMetrics#RECORDS_WRITTEN}), and reports how long ago the table's latest write commit
 * completed ({@link TableMetrics#LAST_COMMIT_AGE_MS}). Chained to the operators before and after
 * it, so a row costs a counter increment and nothing else.
 */
final class LakeWriteMetrics extends RichMapFunction<RowData, RowData> {
    private static final long serialVersionUID = 1L;

    private final TableId table;
    private final String path;
    private final LakeStorage storage;
    private transient Counter written;

    LakeWriteMetrics(TableId table, String path, LakeStorage storage) {
        this.table = table;
        this.path = path;
        this.storage = storage;
    }

    @Override
    public void open(Configuration parameters) {
        MetricGroup metrics = TableMetrics.of(getRuntimeContext().getMetricGroup(), table);
        written = metrics.counter(TableMetrics.RECORDS_WRITTEN);
        // The timeline belongs to the table, not to a subtask: one reader is enough.
        if (getRuntimeContext().getIndexOfThisSubtask() == 0) {
            metrics.gauge(TableMetrics.LAST_COMMIT_AGE_MS, new LastCommitAge(path, storage));
        }
    }

    @Override
    public RowData map(RowData row) {
        written.inc();
        return row;
    }

    /**
     * Milliseconds since the table's latest write commit completed, as the Hudi timeline says;
     * NaN until the table has one.
     *
     * <p>Why the timeline, read when the gauge is read: Hudi commits in the JobManager (its
     * StreamWriteOperatorCoordinator, once a checkpoint completes, and only when the checkpoint
     * carried data), out of sight of the operators that write. Their own checkpoint-complete
     * notification would race that commit and cannot tell whether one happened; the timeline is
     * what readers of the table see. Reading it lists the table's {@code .hoodie} folder, so that
     * happens at most once per {@link #REFRESH_MILLIS}, only when a reporter asks (on the
     * reporter's thread, never the one processing rows), and in one parallel instance; between
     * reads the age is computed from the last completion time read, so it keeps growing while
     * nothing commits.
     */
    static final class LastCommitAge implements Gauge<Double> {
        private static final Logger LOG = LoggerFactory.getLogger(LastCommitAge.class);
        static final long REFRESH_MILLIS = 15_000;
        private static final long UNKNOWN = Long.MIN_VALUE;

        private final String path;
        private final LakeStorage storage;
        private HoodieTableMetaClient client;
        private long readAtMillis;
        private long completedAtMillis = UNKNOWN;
        private boolean failing;

        LastCommitAge(String path, LakeStorage storage) {
            this.path = path;
            this.storage = storage;
        }

        @Override
        public synchronized Double getValue() {
            long now = System.currentTimeMillis();
            if (now - readAtMillis >= REFRESH_MILLIS) {
                readAtMillis = now;
                refresh();
            }
            return completedAtMillis == UNKNOWN ? Double.NaN : (double) (now - completedAtMillis);
        }

        private void refresh() {
            try {
                if (client == null) {
                    // Hudi creates the table when the job starts; until then there is nothing to read.
                    client = LakeCatalog.metaClient(path, storage).orElse(null);
                    if (client == null) {
                        return;
                    }
                } else {
                    client.reloadActiveTimeline();
                }
                String writeAction = LakeCatalog.writeAction(client);
                Option<HoodieInstant> last = client.getCommitsTimeline().filterCompletedInstants()
                        .filter(instant -> instant.getAction().equals(writeAction))
                        .lastInstant();
                if (last.isPresent()) {
                    completedAtMillis = HoodieActiveTimeline.parseDateFromInstantTime(last.get().getStateTransitionTime()).getTime();
                }
                failing = false;
            } catch (ParseException | RuntimeException e) {
                // Once per streak of failures: the reporter asks every scrape.
                if (!failing) {
                    LOG.warn("Cannot read the Hudi timeline of {}; its last commit age grows from the last commit seen", path, e);
                }
                failing = true;
            }
        }
    }
}
