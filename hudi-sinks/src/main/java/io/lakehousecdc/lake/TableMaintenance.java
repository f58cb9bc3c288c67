package io.lakehousecdc.lake;

import io.lakehousecdc.core.PipelineOptions;
import io.lakehousecdc.core.SetupException;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.util.TimeUtils;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a lake table is kept in shape while it is written: cleaning of superseded file versions
 * after a retention given in time, archival of old timeline instants, compaction of
 * MERGE_ON_READ logs, and the file sizes that keep the number of files bounded.
 *
 * <p>Retention is turned into a number of commits because Hudi's Flink writer commits at most
 * once per checkpoint: keeping the last {@code ceil(retention / checkpoint interval) + 1}
 * commits (plus the compactions among them) keeps at least the retention window readable,
 * more when checkpoints carried no data. Hudi's time-based cleaner ({@code KEEP_LATEST_BY_HOURS})
 * counts whole hours only and would round any shorter retention away.
 */
public final class TableMaintenance {

    /** What a table's writes are: upserts by key (processed zone) or appends only (raw zone). */
    public enum Writes {
        UPSERT,
        APPEND
    }

    /** Archival keeps this many commits beyond the cleaner's, as Hudi requires it to keep more. */
    static final int ARCHIVAL_MARGIN = 10;
    private static final long MB = 1024L * 1024;
    /** Base files grow by upserts up to this size; Hudi's own default. */
    static final int MAX_FILE_MB = 120;
    /** Base files below this size take new inserts before a new file group is opened; Hudi's own default. */
    static final int SMALL_FILE_MB = 100;

    private final LakeOptions.TableType type;
    private final Duration retention;
    private final Duration checkpointInterval;
    private final int compactionDeltaCommits;
    private final Duration compactionInterval;

    private TableMaintenance(LakeOptions.TableType type, Duration retention, Duration checkpointInterval,
            int compactionDeltaCommits, Duration compactionInterval) {
        this.type = type;
        this.retention = retention;
        this.checkpointInterval = checkpointInterval;
        this.compactionDeltaCommits = compactionDeltaCommits;
        this.compactionInterval = compactionInterval;
    }

    /**
     * The maintenance of a table of {@code type} under the job's settings ({@code lake.*},
     * {@code pipeline.checkpoint-interval}).
     *
     * @param tableRetention the table's own retention, or null for {@code lake.retention}
     * @throws SetupException naming a setting out of range
     */
    public static TableMaintenance of(Configuration global, LakeOptions.TableType type, Duration tableRetention) {
        Duration retention = tableRetention != null ? tableRetention : global.get(LakeOptions.RETENTION);
        if (retention.isZero() || retention.isNegative()) {
            String key = tableRetention != null ? "retention" : LakeOptions.RETENTION.key();
            throw new SetupException(key + " is " + TimeUtils.formatWithHighestUnit(retention)
                    + ": give a positive duration such as 24h");
        }
        Duration checkpointInterval = global.get(PipelineOptions.CHECKPOINT_INTERVAL);
        if (checkpointInterval.isZero() || checkpointInterval.isNegative()) {
            throw new SetupException(PipelineOptions.CHECKPOINT_INTERVAL.key() + " is "
                    + TimeUtils.formatWithHighestUnit(checkpointInterval)
                    + ": give a positive duration such as 30s");
        }
        int deltaCommits = global.get(LakeOptions.COMPACTION_DELTA_COMMITS);
        if (deltaCommits < 1) {
            throw new SetupException(LakeOptions.COMPACTION_DELTA_COMMITS.key() + " is " + deltaCommits + ": give 1 or more");
        }
        Duration compactionInterval = global.get(LakeOptions.COMPACTION_INTERVAL);
        if (compactionInterval.getSeconds() < 1) {
            throw new SetupException(LakeOptions.COMPACTION_INTERVAL.key() + " is "
                    + TimeUtils.formatWithHighestUnit(compactionInterval)
                    + ": give at least 1s, e.g. 1h");
        }
        return new TableMaintenance(type, retention, checkpointInterval, deltaCommits, compactionInterval);
    }

    /**
     * This maintenance with a MERGE_ON_READ table's own compaction triggers, given among its
     * {@code hudi.*} options, in place of the lake's: a table that compacts more often has more
     * compactions among the commits of its retention, and the cleaner must keep them too.
     * Hudi's own key wins over the Flink one when both are given, as it does in Hudi's writer.
     *
     * @param tableHudiOptions the table's Hudi options, without the {@code hudi.} prefix
     * @throws SetupException naming the option when its value is not a whole number from 1 up
     */
    public TableMaintenance withTableOptions(Map<String, String> tableHudiOptions) {
        if (type != LakeOptions.TableType.MERGE_ON_READ) {
            return this;
        }
        int deltaCommits = trigger(tableHudiOptions, compactionDeltaCommits,
                "hoodie.compact.inline.max.delta.commits", "compaction.delta_commits");
        int deltaSeconds = trigger(tableHudiOptions, (int) Math.min(Integer.MAX_VALUE, compactionInterval.getSeconds()),
                "hoodie.compact.inline.max.delta.seconds", "compaction.delta_seconds");
        return new TableMaintenance(type, retention, checkpointInterval, deltaCommits, Duration.ofSeconds(deltaSeconds));
    }

    /** The value of the first of {@code keys} given, or {@code otherwise}. */
    private static int trigger(Map<String, String> options, int otherwise, String... keys) {
        for (String key : keys) {
            String value = options.get(key);
            if (value == null) {
                continue;
            }
            try {
                int parsed = Integer.parseInt(value);
                if (parsed >= 1) {
                    return parsed;
                }
            } catch (NumberFormatException e) {
                // reported below with the key to fix
            }
            throw new SetupException("hudi." + key + " is '" + value + "': give a whole number from 1 to " + Integer.MAX_VALUE);
        }
        return otherwise;
    }

    /** Write commits (delta commits of MERGE_ON_READ tables) that can complete within the retention. */
    int writeCommitsWithinRetention() {
        return (int) Math.min(Integer.MAX_VALUE / 4, ceilDiv(retention.toMillis(), checkpointInterval.toMillis()));
    }

    /**
     * Commits the cleaner keeps: the writes within the retention, the one just before it (so
     * that the table as of the window's start is readable), and on MERGE_ON_READ tables the
     * compactions among them, which Hudi counts as commits too. At most one compaction is
     * scheduled per checkpoint: by delta commits, or by time.
     */
    public int retainedCommits() {
        int writes = writeCommitsWithinRetention() + 1;
        if (type != LakeOptions.TableType.MERGE_ON_READ) {
            return writes;
        }
        long compactions = ceilDiv(writes, compactionDeltaCommits) + ceilDiv(retention.toMillis(), compactionInterval.toMillis());
        return (int) (writes + Math.min(writes, compactions));
    }

    /** The Hudi Flink options for cleaning, archival, compaction and file sizing. */
    public Map<String, String> hudiOptions(Writes writes) {
        Map<String, String> options = new LinkedHashMap<>();
        int retained = retainedCommits();
        options.put("clean.async.enabled", "true");
        options.put("clean.policy", "KEEP_LATEST_COMMITS");
        options.put("clean.retain_commits", String.valueOf(retained));
        options.put("archive.min_commits", String.valueOf(retained + ARCHIVAL_MARGIN));
        options.put("archive.max_commits", String.valueOf(retained + 2 * ARCHIVAL_MARGIN));
        options.put("write.parquet.max.file.size", String.valueOf(MAX_FILE_MB));
        options.put("hoodie.parquet.small.file.limit", String.valueOf(SMALL_FILE_MB * MB));
        if (type == LakeOptions.TableType.MERGE_ON_READ) {
            options.put("compaction.async.enabled", "true");
            options.put("compaction.schedule.enabled", "true");
            // Delta commits bound the work of one compaction; the interval bounds how far the
            // read-optimized view lags on a table that changes rarely.
            options.put("compaction.trigger.strategy", "num_or_time");
            options.put("compaction.delta_commits", String.valueOf(compactionDeltaCommits));
            options.put("compaction.delta_seconds", String.valueOf(compactionInterval.getSeconds()));
        }
        if (writes == Writes.APPEND && type == LakeOptions.TableType.COPY_ON_WRITE) {
            // Appends open new files on every checkpoint and never update old ones: clustering
            // rewrites the small ones into few large ones.
            options.put("clustering.schedule.enabled", "true");
            options.put("clustering.async.enabled", "true");
            options.put("clustering.delta_commits", String.valueOf(compactionDeltaCommits));
            options.put("clustering.plan.strategy.small.file.limit", String.valueOf(SMALL_FILE_MB));
            options.put("clustering.plan.strategy.target.file.max.bytes", String.valueOf(MAX_FILE_MB * MB));
            // A lone file has nothing to merge with: rewriting it gains nothing, and an idle
            // partition would otherwise be rewritten every few commits.
            options.put("hoodie.clustering.plan.strategy.single.group.clustering.enabled", "false");
        }
        return options;
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
