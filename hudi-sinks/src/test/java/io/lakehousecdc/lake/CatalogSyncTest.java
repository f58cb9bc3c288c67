package io.lakehousecdc.lake;

import io.lakehousecdc.core.LakeSchema;
import io.lakehousecdc.core.LakeZone;
import io.lakehousecdc.core.SetupException;
import io.lakehousecdc.core.TableId;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.types.logical.BigIntType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.TimestampType;
import org.apache.hudi.sink.utils.HiveSyncContext;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The catalog settings of a table, read back through Hudi's own translation into the properties
 * its meta sync runs with, so a key Hudi does not understand shows up here.
 */
class CatalogSyncTest {

    private static final LakeSchema VISITS = LakeSchema.of(
            TableId.mysql("clinic", "clinic", "visits"),
            List.of(new RowType.RowField("id", new BigIntType(false)),
                    new RowType.RowField("started_at", new TimestampType(true, 6))),
            List.of("id"));

    @Test
    void glueRegistersAPartitionedTableWithItsDayAsAStringKeyBesideTheTimestampColumn() {
        LakeTable table = table(LakeOptions.TableType.MERGE_ON_READ, "started_at", Map.of());
        Properties sync = syncProperties(table, lake("glue"));

        assertThat(sync)
                .containsEntry("hoodie.datasource.hive_sync.mode", "glue")
                .containsEntry("hoodie.datasource.meta.sync.base.path", table.path(LakeZone.PROCESSED))
                .containsEntry("hoodie.datasource.hive_sync.database", "analytics")
                .containsEntry("hoodie.datasource.hive_sync.table", "clinic_clinic_visits")
                .containsEntry("hoodie.datasource.hive_sync.partition_fields", "started_at_day")
                .containsEntry("hoodie.datasource.hive_sync.partition_extractor_class",
                        "org.apache.hudi.hive.MultiPartKeysValueExtractor")
                .containsEntry("hoodie.datasource.hive_sync.support_timestamp", "true")
                .containsEntry("hoodie.datasource.hive_sync.auto_create_database", "true");
        assertThat(ProcessedZoneSink.hudiOptions(table, lake("glue"), 1)).containsEntry("hive_sync.enabled", "true");
    }

    @Test
    void anUnpartitionedTableNeedsNoPartitionKey() {
        Properties sync = syncProperties(table(LakeOptions.TableType.COPY_ON_WRITE, null, Map.of()), lake("glue"));

        assertThat(sync)
                .containsEntry("hoodie.datasource.hive_sync.partition_fields", "")
                .containsEntry("hoodie.datasource.hive_sync.partition_extractor_class",
                        "org.apache.hudi.hive.NonPartitionedExtractor");
    }

    @Test
    void aHiveMetastoreNeedsItsUrisAndItsClientOnTheClasspath() {
        Configuration lake = lake("hive-metastore");
        lake.set(LakeOptions.CATALOG_METASTORE_URIS, "thrift://metastore:9083");
        LakeTable table = table(LakeOptions.TableType.COPY_ON_WRITE, null, Map.of());
        assertThatThrownBy(() -> CatalogSync.hudiOptions(lake, table, LakeZone.PROCESSED))
                .isInstanceOf(SetupException.class)
                .hasMessage("lake.catalog.type is hive-metastore but Hive's metastore client"
                        + " (org.apache.hadoop.hive.metastore.IMetaStoreClient) is not on the classpath:"
                        + " add the hive-exec jar of your metastore's version to Flink's lib/");
    }

    @Test
    void theRawZoneChangeLogIsRegisteredUnderItsOwnName() {
        LakeTable table = table(LakeOptions.TableType.MERGE_ON_READ, null, Map.of());
        assertThat(CatalogSync.hudiOptions(lake("glue"), table, LakeZone.RAW))
                .containsEntry("hive_sync.table", "clinic_clinic_visits_raw")
                .containsEntry("hive_sync.partition_fields", "_cdc_day");
    }

    @Test
    void aTablesOwnHudiOptionsOverrideTheDerivedOnes() {
        LakeTable table = table(LakeOptions.TableType.COPY_ON_WRITE, null, Map.of("hive_sync.table", "visits_v2"));
        assertThat(syncProperties(table, lake("glue"))).containsEntry("hoodie.datasource.hive_sync.table", "visits_v2");
    }

    @Test
    void withoutACatalogNothingIsRegistered() {
        LakeTable table = table(LakeOptions.TableType.MERGE_ON_READ, "started_at", Map.of());
        assertThat(ProcessedZoneSink.hudiOptions(table, new Configuration(), 1))
                .doesNotContainKeys("hive_sync.enabled", "hive_sync.mode", "hive_sync.db");
    }

    @Test
    void incompleteOrUnknownCatalogSettingsAreRefusedWithTheFix() {
        LakeTable table = table(LakeOptions.TableType.MERGE_ON_READ, null, Map.of());
        assertThatThrownBy(() -> CatalogSync.hudiOptions(lake("hive-metastore"), table, LakeZone.PROCESSED))
                .isInstanceOf(SetupException.class)
                .hasMessage("lake.catalog.type is hive-metastore but lake.catalog.metastore-uris is not set:"
                        + " set it to the metastore's thrift://host:9083");
        assertThatThrownBy(() -> CatalogSync.hudiOptions(lake("athena"), table, LakeZone.PROCESSED))
                .isInstanceOf(SetupException.class)
                .hasMessage("lake.catalog.type 'athena' is not a catalog: use none, glue or hive-metastore");
        Configuration badDatabase = lake("glue");
        badDatabase.set(LakeOptions.CATALOG_DATABASE, "Clinic-Lake");
        assertThatThrownBy(() -> CatalogSync.hudiOptions(badDatabase, table, LakeZone.PROCESSED))
                .isInstanceOf(SetupException.class)
                .hasMessageStartingWith("lake.catalog.database 'Clinic-Lake' is not a catalog database name");
    }

    private static LakeTable table(LakeOptions.TableType type, String partitionBy, Map<String, String> hudi) {
        return new LakeTable(VISITS, "s3a://lake/base", type, partitionBy, hudi, TableIndex.STATE, null, null, true);
    }

    private static Configuration lake(String catalog) {
        Configuration lake = new Configuration();
        lake.set(LakeOptions.CATALOG_TYPE, catalog);
        lake.set(LakeOptions.CATALOG_DATABASE, "analytics");
        return lake;
    }

    /** What Hudi's meta sync would run with, derived by Hudi from the table's write options. */
    private static Properties syncProperties(LakeTable table, Configuration lake) {
        return HiveSyncContext.buildSyncConfig(Configuration.fromMap(ProcessedZoneSink.hudiOptions(table, lake, 1)));
    }
}
