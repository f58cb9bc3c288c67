package io.lakehousecdc.lake;

import org.apache.hudi.common.model.HoodieCommitMetadata;
import org.apache.hudi.common.model.HoodieTableType;
import org.apache.hudi.common.model.HoodieWriteStat;
import org.apache.hudi.common.table.HoodieTableMetaClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The commit list that progress tracking reads, against a Hudi timeline written file by file. */
class LakeCatalogTest {

    @TempDir
    Path dir;

    @Test
    void aCommitWhoseFileIsStillEmptyIsNotReportedUntilItsMetadataIsWritten() throws Exception {
        String table = dir.resolve("visits").toString();
        HoodieTableMetaClient.withPropertyBuilder()
                .setTableType(HoodieTableType.MERGE_ON_READ)
                .setTableName("visits")
                .setRecordKeyFields("id")
                .initTable(new org.apache.hadoop.conf.Configuration(), table);
        Path timeline = Path.of(table, ".hoodie");

        complete(timeline, "20240101000000000", metadata(500, 0, 0));
        assertThat(LakeCatalog.writeCommits(table, LakeStorage.defaults())).extracting(LakeCatalog.Commit::changes).containsExactly(500L);

        // Hudi has created the completed instant's file but not yet written into it.
        Files.writeString(timeline.resolve("20240101000005000.deltacommit.requested"), "");
        Files.writeString(timeline.resolve("20240101000005000.deltacommit.inflight"), "");
        Files.writeString(timeline.resolve("20240101000005000.deltacommit"), "");
        assertThat(LakeCatalog.writeCommits(table, LakeStorage.defaults())).extracting(LakeCatalog.Commit::instant).containsExactly("20240101000000000");

        Files.writeString(timeline.resolve("20240101000005000.deltacommit"), metadata(3, 7, 2));
        assertThat(LakeCatalog.writeCommits(table, LakeStorage.defaults())).extracting(LakeCatalog.Commit::changes).containsExactly(500L, 12L);
    }

    @Test
    void aTableWithoutTimelineHasNoCommits() {
        assertThat(LakeCatalog.writeCommits(dir.resolve("never-written").toString(), LakeStorage.defaults())).isEmpty();
    }

    private static void complete(Path timeline, String instant, String metadata) throws Exception {
        Files.writeString(timeline.resolve(instant + ".deltacommit.requested"), "");
        Files.writeString(timeline.resolve(instant + ".deltacommit.inflight"), "");
        Files.write(timeline.resolve(instant + ".deltacommit"), metadata.getBytes(StandardCharsets.UTF_8));
    }

    private static String metadata(long inserts, long updates, long deletes) throws Exception {
        HoodieWriteStat stat = new HoodieWriteStat();
        stat.setPartitionPath("day=2024-01-01");
        stat.setFileId("f1");
        stat.setPath("day=2024-01-01/.f1.log.1");
        stat.setNumInserts(inserts);
        stat.setNumUpdateWrites(updates);
        stat.setNumDeletes(deletes);
        HoodieCommitMetadata metadata = new HoodieCommitMetadata();
        metadata.addWriteStat("day=2024-01-01", stat);
        return metadata.toJsonString();
    }
}
