package io.lakehousecdc.lake;

import io.lakehousecdc.core.SetupException;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.util.TimeUtils;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TableMaintenanceTest {

    private static Configuration conf(String... keyValues) {
        Configuration conf = new Configuration();
        for (int i = 0; i < keyValues.length; i += 2) {
            conf.setString(keyValues[i], keyValues[i + 1]);
        }
        return conf;
    }

    @Test
    void copyOnWriteKeepsOneCommitPerCheckpointOfTheRetentionAndTheOneBefore() {
        // 24h of 30s checkpoints: 2880 commits, and the one just before the window.
        TableMaintenance cow = TableMaintenance.of(conf(), LakeOptions.TableType.COPY_ON_WRITE, null);
        assertThat(cow.retainedCommits()).isEqualTo(2881);
        // A retention that is not a whole number of checkpoints rounds up.
        TableMaintenance odd = TableMaintenance.of(conf("pipeline.checkpoint-interval", "7s"),
                LakeOptions.TableType.COPY_ON_WRITE, Duration.ofSeconds(30));
        assertThat(odd.retainedCommits()).isEqualTo(5 + 1);
    }

    @Test
    void mergeOnReadAlsoKeepsTheCompactionsAmongThoseCommits() {
        // 10 min of 1 min checkpoints: 11 delta commits; compactions every 5 of them (3) and every
        // 5 minutes (2) at most.
        TableMaintenance mor = TableMaintenance.of(conf("pipeline.checkpoint-interval", "1min", "lake.compaction.interval", "5min"),
                LakeOptions.TableType.MERGE_ON_READ, Duration.ofMinutes(10));
        assertThat(mor.retainedCommits()).isEqualTo(11 + 3 + 2);
        // Never more compactions than delta commits: one per checkpoint at most.
        TableMaintenance often = TableMaintenance.of(conf("pipeline.checkpoint-interval", "1s", "lake.compaction.interval", "1s",
                "lake.compaction.delta-commits", "1"), LakeOptions.TableType.MERGE_ON_READ, Duration.ofSeconds(4));
        assertThat(often.retainedCommits()).isEqualTo(5 + 5);
    }

    @Test
    void archivalKeepsMoreCommitsThanTheCleaner() {
        for (String retention : new String[] {"1s", "5min", "24h", "30d"}) {
            Map<String, String> options = TableMaintenance.of(conf("pipeline.checkpoint-interval", "10s"),
                    LakeOptions.TableType.MERGE_ON_READ, TimeUtils.parseDuration(retention))
                    .hudiOptions(TableMaintenance.Writes.UPSERT);
            int retained = Integer.parseInt(options.get("clean.retain_commits"));
            int min = Integer.parseInt(options.get("archive.min_commits"));
            int max = Integer.parseInt(options.get("archive.max_commits"));
            assertThat(min).as(retention).isGreaterThan(retained);
            assertThat(max).as(retention).isGreaterThan(min);
        }
    }

    @Test
    void mergeOnReadCompactsAsynchronouslyByDeltaCommitsOrTime() {
        Map<String, String> options = TableMaintenance.of(conf("lake.compaction.delta-commits", "3", "lake.compaction.interval", "10min"),
                LakeOptions.TableType.MERGE_ON_READ, null).hudiOptions(TableMaintenance.Writes.UPSERT);
        assertThat(options).containsEntry("clean.async.enabled", "true")
                .containsEntry("clean.policy", "KEEP_LATEST_COMMITS")
                .containsEntry("compaction.async.enabled", "true")
                .containsEntry("compaction.trigger.strategy", "num_or_time")
                .containsEntry("compaction.delta_commits", "3")
                .containsEntry("compaction.delta_seconds", "600")
                .containsEntry("write.parquet.max.file.size", "120")
                .containsEntry("hoodie.parquet.small.file.limit", String.valueOf(100L * 1024 * 1024))
                .doesNotContainKey("clustering.async.enabled");
    }

    @Test
    void copyOnWriteAppendsAreClusteredAndNeverCompacted() {
        Map<String, String> appends = TableMaintenance.of(conf(), LakeOptions.TableType.COPY_ON_WRITE, null)
                .hudiOptions(TableMaintenance.Writes.APPEND);
        assertThat(appends).containsEntry("clustering.async.enabled", "true")
                .containsEntry("clustering.schedule.enabled", "true")
                .containsEntry("hoodie.clustering.plan.strategy.single.group.clustering.enabled", "false")
                .doesNotContainKey("compaction.trigger.strategy");
        assertThat(TableMaintenance.of(conf(), LakeOptions.TableType.COPY_ON_WRITE, null)
                .hudiOptions(TableMaintenance.Writes.UPSERT)).doesNotContainKey("clustering.async.enabled");
    }

    @Test
    void aTableThatCompactsMoreOftenThanTheLakeKeepsItsExtraCompactions() {
        TableMaintenance lake = TableMaintenance.of(conf("pipeline.checkpoint-interval", "1min"),
                LakeOptions.TableType.MERGE_ON_READ, null);
        int writes = lake.writeCommitsWithinRetention() + 1;
        assertThat(lake.retainedCommits()).isEqualTo(writes + (writes + 4) / 5 + 24);

        TableMaintenance everyCommit = lake.withTableOptions(Map.of("compaction.delta_commits", "1"));
        assertThat(everyCommit.retainedCommits()).isEqualTo(2 * writes);
        assertThat(everyCommit.hudiOptions(TableMaintenance.Writes.UPSERT)).containsEntry("compaction.delta_commits", "1")
                .containsEntry("clean.retain_commits", String.valueOf(2 * writes));
        assertThat(lake.withTableOptions(Map.of("hoodie.compact.inline.max.delta.commits", "2")).retainedCommits())
                .as("Hudi's own key").isEqualTo(writes + (writes + 1) / 2 + 24);
        assertThat(lake.withTableOptions(Map.of("compaction.delta_commits", "5", "hoodie.compact.inline.max.delta.commits", "1"))
                .retainedCommits()).as("Hudi's own key wins, as in its writer").isEqualTo(2 * writes);
        TableMaintenance halfHourly = lake.withTableOptions(Map.of("hoodie.compact.inline.max.delta.seconds", "1800"));
        assertThat(halfHourly.retainedCommits()).isEqualTo(writes + (writes + 4) / 5 + 48);
        assertThat(halfHourly.hudiOptions(TableMaintenance.Writes.UPSERT)).containsEntry("compaction.delta_seconds", "1800");
        assertThat(lake.withTableOptions(Map.of("write.tasks", "4")).retainedCommits()).isEqualTo(lake.retainedCommits());

        assertThatThrownBy(() -> lake.withTableOptions(Map.of("compaction.delta_commits", "often")))
                .isInstanceOf(SetupException.class)
                .hasMessage("hudi.compaction.delta_commits is 'often': give a whole number from 1 to 2147483647");
        assertThatThrownBy(() -> lake.withTableOptions(Map.of("compaction.delta_seconds", "3000000000")))
                .isInstanceOf(SetupException.class).hasMessageStartingWith("hudi.compaction.delta_seconds is '3000000000'");
        TableMaintenance cow = TableMaintenance.of(conf(), LakeOptions.TableType.COPY_ON_WRITE, null);
        assertThat(cow.withTableOptions(Map.of("compaction.delta_commits", "often"))).as("ignored, as by Hudi").isSameAs(cow);
    }

    @Test
    void settingsOutOfRangeAreRefusedWithTheKeyToFix() {
        assertThatThrownBy(() -> TableMaintenance.of(conf(), LakeOptions.TableType.MERGE_ON_READ, Duration.ZERO))
                .isInstanceOf(SetupException.class).hasMessageContaining("retention is 0 ms").hasMessageContaining("24h");
        assertThatThrownBy(() -> TableMaintenance.of(conf("lake.compaction.delta-commits", "0"), LakeOptions.TableType.MERGE_ON_READ, null))
                .isInstanceOf(SetupException.class).hasMessageContaining("lake.compaction.delta-commits is 0");
    }
}
