package io.lakehousecdc.lake;

import io.lakehousecdc.core.SetupException;

import org.apache.hudi.common.model.HoodieTableType;
import org.apache.hudi.common.table.HoodieTableMetaClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Clustering commits left empty by a stopped job, on a Hudi timeline written file by file. */
class UnfinishedClusteringsTest {

    private static final String CLUSTERING = "20240101000005000";

    @TempDir
    Path dir;

    private String table;
    private Path timeline;

    @BeforeEach
    void changeLog() throws Exception {
        table = dir.resolve("visits_raw").toString();
        HoodieTableMetaClient.withPropertyBuilder()
                .setTableType(HoodieTableType.COPY_ON_WRITE)
                .setTableName("visits_raw")
                .setRecordKeyFields("id")
                .initTable(new org.apache.hadoop.conf.Configuration(), table);
        timeline = Path.of(table, ".hoodie");
        Files.writeString(timeline.resolve(CLUSTERING + ".replacecommit.requested"), "");
        Files.writeString(timeline.resolve(CLUSTERING + ".replacecommit.inflight"), "");
    }

    private HoodieTableMetaClient client() {
        return LakeCatalog.metaClient(table, LakeStorage.defaults()).orElseThrow();
    }

    @Test
    void anEmptyCompletedClusteringFailsReadsAndIsPutBackInFlightBeforeTheNextWrite() throws Exception {
        Path completed = timeline.resolve(CLUSTERING + ".replacecommit");
        Files.writeString(completed, "");
        Files.setLastModifiedTime(completed, FileTime.from(Instant.now().minusSeconds(60)));

        assertThatThrownBy(() -> UnfinishedClusterings.checkReadable(client(), "visits_raw"))
                .isInstanceOf(SetupException.class)
                .hasMessageStartingWith("Lake table visits_raw has a clustering that a stopped job left unfinished")
                .hasMessageContaining(CLUSTERING + ".replacecommit is empty");

        Path day = Files.createDirectories(Path.of(table, "_cdc_day=2024-01-01"));
        Path rewritten = Files.writeString(day.resolve("f1-0_0-1-0_20240101000000000.parquet"), "input");
        Path output = Files.writeString(day.resolve("f9-0_0-1-0_" + CLUSTERING + ".parquet"), "output");

        assertThat(UnfinishedClusterings.reopen(table, LakeStorage.defaults())).containsExactly(CLUSTERING);
        assertThat(output).as("run again under the same instant, it would stay beside its new output").doesNotExist();
        assertThat(rewritten).exists();
        assertThat(client().getActiveTimeline().filterPendingReplaceTimeline().getInstants())
                .extracting(i -> i.getTimestamp() + " " + i.getState()).containsExactly(CLUSTERING + " INFLIGHT");
        UnfinishedClusterings.checkReadable(client(), "visits_raw");
    }

    @Test
    void aClusteringCommitStillBeingWrittenIsWaitedForAndLeftAlone() throws Exception {
        Path completed = timeline.resolve(CLUSTERING + ".replacecommit");
        Files.writeString(completed, "");
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try {
                Thread.sleep(500);
                Files.writeString(completed, "{\"partitionToWriteStats\":{},\"partitionToReplaceFileIds\":{}}");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        assertThat(UnfinishedClusterings.reopen(table, LakeStorage.defaults())).as("a writer was filling it").isEmpty();
        writer.get(5, TimeUnit.SECONDS);
        assertThat(Files.size(completed)).isPositive();
        UnfinishedClusterings.checkReadable(client(), "visits_raw");
    }
}
