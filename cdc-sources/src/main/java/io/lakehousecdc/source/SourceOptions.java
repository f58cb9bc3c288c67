package io.lakehousecdc.source;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

import java.time.Duration;

/**
 * Options of one entry of {@code sources[]}. Keys under {@code debezium.} pass through to the
 * embedded Debezium engine unchanged.
 */
public final class SourceOptions {

    public static final String DEBEZIUM_PREFIX = "debezium.";

    public static final ConfigOption<String> ID = ConfigOptions.key("id")
            .stringType()
            .noDefaultValue()
            .withDescription("Short name of the source; first part of its lake table names.");

    public static final ConfigOption<String> TYPE = ConfigOptions.key("type")
            .stringType()
            .noDefaultValue()
            .withDescription("mysql | postgres | dms");

    public static final ConfigOption<String> HOSTNAME = ConfigOptions.key("hostname")
            .stringType()
            .defaultValue("127.0.0.1")
            .withDescription("Database host.");

    public static final ConfigOption<Integer> PORT = ConfigOptions.key("port")
            .intType()
            .noDefaultValue()
            .withDescription("Database port; 3306 for MySQL, 5432 for PostgreSQL when not set.");

    public static final ConfigOption<String> USERNAME = ConfigOptions.key("username")
            .stringType()
            .noDefaultValue()
            .withDescription("User with SELECT, REPLICATION SLAVE and REPLICATION CLIENT (MySQL).");

    public static final ConfigOption<String> PASSWORD = ConfigOptions.key("password")
            .stringType()
            .noDefaultValue()
            .withDescription("Password; write it as ${env:NAME} or ${file:PATH}, never literally.");

    public static final ConfigOption<String> SERVER_TIME_ZONE = ConfigOptions.key("server-time-zone")
            .stringType()
            .defaultValue("UTC")
            .withDescription("Zone of the source's DATETIME / timestamp-without-zone values and of the MySQL session.");

    public static final ConfigOption<String> SERVER_ID = ConfigOptions.key("server-id")
            .stringType()
            .noDefaultValue()
            .withDescription("MySQL replica server id or range (5400-5404), one per reader; "
                    + "default derived from the source id. Must differ from every other replica of the server.");

    public static final ConfigOption<Duration> CONNECT_TIMEOUT = ConfigOptions.key("connect-timeout")
            .durationType()
            .defaultValue(Duration.ofSeconds(10))
            .withDescription("How long to wait for the database to answer a connection attempt.");

    public static final ConfigOption<String> DATABASE = ConfigOptions.key("database")
            .stringType()
            .noDefaultValue()
            .withDescription("PostgreSQL: the database whose tables are captured.");

    public static final ConfigOption<String> SLOT_NAME = ConfigOptions.key("slot-name")
            .stringType()
            .noDefaultValue()
            .withDescription("PostgreSQL: the logical replication slot, one per job; default lakehouse_<id>.");

    public static final ConfigOption<String> PUBLICATION = ConfigOptions.key("publication")
            .stringType()
            .noDefaultValue()
            .withDescription("PostgreSQL: the pgoutput publication; default <slot-name>_pub. Created (or extended) "
                    + "for the captured tables when the user may, otherwise the error names the SQL to run.");

    public static final ConfigOption<Duration> HEARTBEAT_INTERVAL = ConfigOptions.key("heartbeat-interval")
            .durationType()
            .defaultValue(Duration.ofSeconds(30))
            .withDescription("PostgreSQL: how often the source reports progress while its tables are idle, "
                    + "so that the slot does not hold back WAL.");

    public static final ConfigOption<String> PATH = ConfigOptions.key("path")
            .stringType()
            .noDefaultValue()
            .withDescription("DMS: the raw zone DMS writes to, s3://bucket/prefix or a local directory; "
                    + "tables are under <path>/<schema>/<table>/.");

    public static final ConfigOption<String> S3_REGION = ConfigOptions.key("s3.region")
            .stringType()
            .defaultValue("us-east-1")
            .withDescription("DMS: the S3 bucket's region.");

    public static final ConfigOption<String> S3_ENDPOINT = ConfigOptions.key("s3.endpoint")
            .stringType()
            .noDefaultValue()
            .withDescription("DMS: an S3-compatible endpoint to use instead of AWS (path-style access).");

    public static final ConfigOption<Duration> POLL_INTERVAL = ConfigOptions.key("poll-interval")
            .durationType()
            .defaultValue(Duration.ofSeconds(10))
            .withDescription("DMS: how often the raw zone is listed for new files.");

    public static final ConfigOption<Boolean> TIMESTAMP_COLUMN = ConfigOptions.key("timestamp-column")
            .booleanType()
            .defaultValue(false)
            .withDescription("DMS: the endpoint sets TimestampColumnName, so each row's commit time follows the Op column.");

    public static final ConfigOption<Boolean> CHANGE_SEQ_COLUMN = ConfigOptions.key("change-seq-column")
            .booleanType()
            .defaultValue(false)
            .withDescription("DMS: a transformation adds $AR_H_CHANGE_SEQ as the last column; it then orders the changes.");

    public static final ConfigOption<Boolean> OP_IN_FULL_LOAD = ConfigOptions.key("include-op-for-full-load")
            .booleanType()
            .defaultValue(false)
            .withDescription("DMS: the endpoint sets IncludeOpForFullLoad, so full-load files start with an Op column too.");

    public static final ConfigOption<Integer> SNAPSHOT_CHUNK_SIZE = ConfigOptions.key("snapshot.chunk-size")
            .intType()
            .defaultValue(8096)
            .withDescription("Rows per snapshot chunk; each chunk is read and checkpointed on its own.");

    public static final ConfigOption<String> OUT_OF_RANGE_DATES = ConfigOptions.key("out-of-range-dates")
            .stringType()
            .defaultValue("failed-event")
            .withDescription("A date or timestamp outside 0000-01-01..9999-12-31 (PostgreSQL's ±infinity included):"
                    + " failed-event makes its change a failed event, clamp lands it as the nearest bound.");

    private SourceOptions() {}
}
