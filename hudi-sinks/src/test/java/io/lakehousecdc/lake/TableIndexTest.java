package io.lakehousecdc.lake;

import io.lakehousecdc.core.SetupException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TableIndexTest {

    @Test
    void stateKeepsTheIndexInFlinkStateOnly() {
        assertThat(TableIndex.STATE.hudiOptions(4)).containsEntry("index.type", "FLINK_STATE")
                .containsEntry("index.bootstrap.enabled", "false");
    }

    @Test
    void bloomIsTheStateIndexRebuiltFromTheTablesFiles() {
        assertThat(TableIndex.BLOOM.hudiOptions(4)).containsEntry("index.type", "FLINK_STATE")
                .containsEntry("index.bootstrap.enabled", "true");
    }

    @Test
    void bucketHashesKeysIntoTheConfiguredBuckets() {
        assertThat(TableIndex.BUCKET.hudiOptions(16)).containsEntry("index.type", "BUCKET")
                .containsEntry("hoodie.index.bucket.engine", "SIMPLE")
                .containsEntry("hoodie.bucket.index.num.buckets", "16");
    }

    @Test
    void indexTypesParseCaseInsensitivelyAndOthersAreRefused() {
        assertThat(TableIndex.parse(" Bucket ", "clinic.visits")).isEqualTo(TableIndex.BUCKET);
        assertThatThrownBy(() -> TableIndex.parse("hash", "clinic.visits"))
                .isInstanceOf(SetupException.class)
                .hasMessage("index-type of clinic.visits is 'hash': use state, bucket or bloom");
    }
}
