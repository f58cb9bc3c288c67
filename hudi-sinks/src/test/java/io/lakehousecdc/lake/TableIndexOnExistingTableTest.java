package io.lakehousecdc.lake;

import io.lakehousecdc.core.SetupException;

import org.apache.hudi.common.model.HoodieCommitMetadata;
import org.apache.hudi.common.model.HoodieTableType;
import org.apache.hudi.common.model.HoodieWriteStat;
import org.apache.hudi.common.table.HoodieTableMetaClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The index a table was written with, read from its newest commit against a real Hudi timeline. */
class TableIndexOnExistingTableTest {

    private static final String STATE_FILE = "6ff3fe2b-4492-4237-a245-b88a920aeb9c-0";
    private static final String BUCKET_FILES = "00000002-4492-4237-a245-b88a920aeb9c-0";

    @TempDir
    Path dir;

    @Test
    void aTableWithoutDataTakesAnyIndex() throws Exception {
        HoodieTableMetaClient client = table();
        for (TableIndex index : TableIndex.values()) {
            assertThatCode(() -> index.checkExisting(client, "visits", 4)).doesNotThrowAnyException();
        }
    }

    @Test
    void stateAndBloomShareTheFileLayoutButBucketIsRefused() throws Exception {
        HoodieTableMetaClient client = table();
        commit(client, "20240101000000000", STATE_FILE);
        assertThatCode(() -> TableIndex.STATE.checkExisting(reload(client), "visits", 4)).doesNotThrowAnyException();
        assertThatCode(() -> TableIndex.BLOOM.checkExisting(reload(client), "visits", 4)).doesNotThrowAnyException();
        assertThatThrownBy(() -> TableIndex.BUCKET.checkExisting(reload(client), "visits", 4))
                .isInstanceOf(SetupException.class)
                .hasMessage("Table visits holds data written with the state index; index-type bucket would write a second copy"
                        + " of its keys: keep index-type state or bloom, or rewrite it into a new table");
    }

    @Test
    void aBucketTableKeepsItsIndexAndItsBuckets() throws Exception {
        HoodieTableMetaClient client = table();
        commit(client, "20240101000000000", BUCKET_FILES);
        assertThatCode(() -> TableIndex.BUCKET.checkExisting(reload(client), "visits", 4)).doesNotThrowAnyException();
        assertThatThrownBy(() -> TableIndex.STATE.checkExisting(reload(client), "visits", 4))
                .isInstanceOf(SetupException.class)
                .hasMessageStartingWith("Table visits holds data written with the bucket index; index-type state");
        assertThatThrownBy(() -> TableIndex.BUCKET.checkExisting(reload(client), "visits", 2))
                .isInstanceOf(SetupException.class)
                .hasMessageStartingWith("Table visits has at least 3 buckets per partition but 2 are configured");
    }

    private HoodieTableMetaClient table() throws Exception {
        return HoodieTableMetaClient.withPropertyBuilder()
                .setTableType(HoodieTableType.MERGE_ON_READ)
                .setTableName("visits")
                .setRecordKeyFields("id")
                .initTable(new org.apache.hadoop.conf.Configuration(), dir.resolve("visits").toString());
    }

    private static HoodieTableMetaClient reload(HoodieTableMetaClient client) {
        return HoodieTableMetaClient.reload(client);
    }

    private void commit(HoodieTableMetaClient client, String instant, String fileId) throws Exception {
        HoodieWriteStat stat = new HoodieWriteStat();
        stat.setPartitionPath("");
        stat.setFileId(fileId);
        stat.setPath("." + fileId + "_" + instant + ".log.1_0-1-0");
        HoodieCommitMetadata metadata = new HoodieCommitMetadata();
        metadata.addWriteStat("", stat);
        Path timeline = Path.of(client.getBasePath().replace("file:", ""), ".hoodie");
        Files.writeString(timeline.resolve(instant + ".deltacommit.requested"), "");
        Files.writeString(timeline.resolve(instant + ".deltacommit.inflight"), "");
        Files.write(timeline.resolve(instant + ".deltacommit"), metadata.toJsonString().getBytes(StandardCharsets.UTF_8));
    }
}
