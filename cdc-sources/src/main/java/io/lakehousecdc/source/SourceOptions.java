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

    public static final ConfigOption<Integer> SNAPSHOT_CHUNK_SIZE = ConfigOptions.key("snapshot.chunk-size")
            .intType()
            .defaultValue(8096)
            .withDescription("Rows per snapshot chunk; each chunk is read and checkpointed on its own.");

    private SourceOptions() {}
}
