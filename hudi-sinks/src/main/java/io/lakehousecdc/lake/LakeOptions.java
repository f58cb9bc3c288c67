package io.lakehousecdc.lake;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * Options of the lake: the {@code lake.*} keys, defaults for every table, and the per-table keys
 * of {@code tables[]}. Keys under {@code hudi.} pass through to Hudi unchanged.
 */
public final class LakeOptions {

    public static final String HUDI_PREFIX = "hudi.";

    public static final ConfigOption<String> BASE_PATH = ConfigOptions.key("lake.base-path")
            .stringType()
            .noDefaultValue()
            .withDescription("Root of the lake: a local path, file:// or s3a:// URI.");

    public static final ConfigOption<Integer> COMPACTION_DELTA_COMMITS = ConfigOptions.key("lake.compaction.delta-commits")
            .intType()
            .defaultValue(5)
            .withDescription("MERGE_ON_READ tables compact after this many delta commits.");

    public static final ConfigOption<Integer> RAW_CLUSTERING_COMMITS = ConfigOptions.key("lake.raw-zone.clustering-commits")
            .intType()
            .defaultValue(4)
            .withDescription("Raw-zone change logs plan the merging of their small files every this many commits.");

    public static final ConfigOption<Integer> WRITE_BUFFER_MB = ConfigOptions.key("lake.write-buffer-mb")
            .intType()
            .defaultValue(128)
            .withDescription("Memory a table's writer may buffer before it flushes, in MiB.");

    public static final ConfigOption<String> CATALOG_TYPE = ConfigOptions.key("lake.catalog.type")
            .stringType()
            .defaultValue("none")
            .withDescription("Catalog the lake's tables are registered in after each commit: none, glue or hive-metastore.");

    public static final ConfigOption<String> CATALOG_DATABASE = ConfigOptions.key("lake.catalog.database")
            .stringType()
            .defaultValue("lakehouse")
            .withDescription("Catalog database (Glue: database) that holds the lake's tables; created when missing.");

    public static final ConfigOption<String> CATALOG_METASTORE_URIS = ConfigOptions.key("lake.catalog.metastore-uris")
            .stringType()
            .noDefaultValue()
            .withDescription("Hive metastore thrift URIs, comma-separated; required for hive-metastore.");

    public static final ConfigOption<String> TABLE = ConfigOptions.key("table")
            .stringType()
            .noDefaultValue()
            .withDescription("Per table: the source table, database.table (PostgreSQL: schema.table).");

    public static final ConfigOption<String> SOURCE = ConfigOptions.key("source")
            .stringType()
            .noDefaultValue()
            .withDescription("Per table: id of the source it comes from.");

    public static final ConfigOption<String> PARTITION_BY = ConfigOptions.key("partition-by")
            .stringType()
            .noDefaultValue()
            .withDescription("Per table: a date/time column; the table gets daily partitions of its WIB value.");

    public static final ConfigOption<TableType> TYPE = ConfigOptions.key("type")
            .enumType(TableType.class)
            .defaultValue(TableType.MERGE_ON_READ)
            .withDescription("Per table: MERGE_ON_READ (fast writes, compacted in the background) or COPY_ON_WRITE.");

    public static final ConfigOption<Boolean> RAW_ZONE = ConfigOptions.key("raw-zone")
            .booleanType()
            .defaultValue(true)
            .withDescription("Per table: keep the append-only change log (raw zone) besides the processed table.");

    /** Hudi's table types. */
    public enum TableType {
        MERGE_ON_READ,
        COPY_ON_WRITE
    }

    private LakeOptions() {}
}
