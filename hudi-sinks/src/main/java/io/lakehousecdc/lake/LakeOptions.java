package io.lakehousecdc.lake;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

import java.time.Duration;

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
            .withDescription("MERGE_ON_READ tables compact after this many delta commits (or lake.compaction.interval).");

    public static final ConfigOption<Duration> COMPACTION_INTERVAL = ConfigOptions.key("lake.compaction.interval")
            .durationType()
            .defaultValue(Duration.ofHours(1))
            .withDescription("MERGE_ON_READ tables compact at least this often while they have uncompacted changes,"
                    + " however few delta commits there were.");

    public static final ConfigOption<Duration> RETENTION = ConfigOptions.key("lake.retention")
            .durationType()
            .defaultValue(Duration.ofHours(24))
            .withDescription("How long superseded versions of rows stay readable (time travel, incremental reads);"
                    + " a table's own 'retention' overrides it.");

    public static final ConfigOption<Integer> BUCKET_COUNT = ConfigOptions.key("lake.bucket-count")
            .intType()
            .defaultValue(4)
            .withDescription("Buckets per partition of tables with index-type bucket; fixed once such a table has data.");

    public static final ConfigOption<String> S3_ENDPOINT = ConfigOptions.key("lake.s3.endpoint")
            .stringType()
            .noDefaultValue()
            .withDescription("S3 endpoint of an s3a:// lake, for S3-compatible stores; AWS's regional endpoint when unset.");

    public static final ConfigOption<Boolean> S3_PATH_STYLE_ACCESS = ConfigOptions.key("lake.s3.path-style-access")
            .booleanType()
            .defaultValue(false)
            .withDescription("Address buckets as endpoint/bucket rather than bucket.endpoint (most S3-compatible stores).");

    public static final ConfigOption<String> S3_REGION = ConfigOptions.key("lake.s3.region")
            .stringType()
            .noDefaultValue()
            .withDescription("AWS region of the lake's bucket; found from the bucket when unset.");

    public static final ConfigOption<String> S3_ACCESS_KEY = ConfigOptions.key("lake.s3.access-key")
            .stringType()
            .noDefaultValue()
            .withDescription("Access key id, as a secret reference; unset, the AWS default credential chain is used.");

    public static final ConfigOption<String> S3_SECRET_KEY = ConfigOptions.key("lake.s3.secret-key")
            .stringType()
            .noDefaultValue()
            .withDescription("Secret access key, as a secret reference; set together with lake.s3.access-key.");

    public static final ConfigOption<String> S3_ENCRYPTION = ConfigOptions.key("lake.s3.encryption")
            .stringType()
            .noDefaultValue()
            .withDescription("Server-side encryption of the files written: SSE-S3 or SSE-KMS; unset, the bucket's default.");

    public static final ConfigOption<String> S3_ENCRYPTION_KEY = ConfigOptions.key("lake.s3.encryption-key")
            .stringType()
            .noDefaultValue()
            .withDescription("KMS key (id or ARN) for SSE-KMS; unset, the account's aws/s3 key.");

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

    public static final ConfigOption<String> INDEX_TYPE = ConfigOptions.key("index-type")
            .stringType()
            .defaultValue("bloom")
            .withDescription("Per table: how the writer finds a key's file: state, bucket or bloom.");

    public static final ConfigOption<String> ORDERING_COLUMN = ConfigOptions.key("ordering-column")
            .stringType()
            .noDefaultValue()
            .withDescription("Per table: a column that orders the changes of a key, instead of the source position.");

    public static final ConfigOption<Duration> TABLE_RETENTION = ConfigOptions.key("retention")
            .durationType()
            .noDefaultValue()
            .withDescription("Per table: how long superseded versions stay readable; lake.retention when unset.");

    /** Hudi's table types. */
    public enum TableType {
        MERGE_ON_READ,
        COPY_ON_WRITE
    }

    private LakeOptions() {}
}
