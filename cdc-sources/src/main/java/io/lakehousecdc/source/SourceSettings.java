package io.lakehousecdc.source;

import io.lakehousecdc.core.SetupException;

import org.apache.flink.configuration.Configuration;

import java.io.Serializable;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/** What every database source has: where it is, who connects, its time zone; validated once. */
public final class SourceSettings implements Serializable {

    /**
     * Debezium settings that change which columns a change carries or how their values are
     * encoded, which the pipeline's type mapping and schema-change detection rely on.
     */
    private static final Set<String> FIXED_DEBEZIUM_KEYS = Set.of("column.include.list", "column.exclude.list",
            "column.whitelist", "column.blacklist", "decimal.handling.mode", "bigint.unsigned.handling.mode",
            "time.precision.mode", "enable.time.adjuster", "binary.handling.mode");

    private static final long serialVersionUID = 1L;

    private final String id;
    private final String kind;
    private final String hostname;
    private final int port;
    private final String username;
    private final String password;
    private final ZoneId serverTimeZone;
    private final Duration connectTimeout;
    private final int chunkSize;
    private final OutOfRangeDates outOfRangeDates;
    private final Properties debezium;

    /**
     * @param kind names the database in messages ({@code MySQL}, {@code PostgreSQL})
     * @param defaultPort the port when none is configured
     */
    public SourceSettings(Configuration conf, String kind, int defaultPort) {
        this.id = required(conf, SourceOptions.ID.key(), "a source");
        this.kind = kind;
        this.hostname = conf.get(SourceOptions.HOSTNAME);
        this.port = conf.getOptional(SourceOptions.PORT).orElse(defaultPort);
        this.username = required(conf, SourceOptions.USERNAME.key(), "source " + id);
        this.password = required(conf, SourceOptions.PASSWORD.key(), "source " + id);
        this.serverTimeZone = serverTimeZone(conf, id);
        this.connectTimeout = conf.get(SourceOptions.CONNECT_TIMEOUT);
        this.chunkSize = conf.get(SourceOptions.SNAPSHOT_CHUNK_SIZE);
        this.outOfRangeDates = OutOfRangeDates.parse(conf.get(SourceOptions.OUT_OF_RANGE_DATES), id);
        this.debezium = new Properties();
        for (Map.Entry<String, String> e : conf.toMap().entrySet()) {
            if (e.getKey().startsWith(SourceOptions.DEBEZIUM_PREFIX)) {
                String key = e.getKey().substring(SourceOptions.DEBEZIUM_PREFIX.length());
                if (FIXED_DEBEZIUM_KEYS.contains(key)) {
                    throw new SetupException("Source " + id + ": " + e.getKey() + " is not supported: the lake takes each table's"
                            + " columns and their types from the database, and changes that differ read as changed columns;"
                            + " remove it, and leave columns out downstream (a warehouse model) instead");
                }
                debezium.setProperty(key, e.getValue());
            }
        }
    }

    /** The source's {@code server-time-zone}, validated. */
    public static ZoneId serverTimeZone(Configuration conf, String sourceId) {
        String zone = conf.get(SourceOptions.SERVER_TIME_ZONE);
        try {
            return ZoneId.of(zone);
        } catch (DateTimeException e) {
            throw new SetupException("Source " + sourceId + ": server-time-zone '" + zone
                    + "' is not a time zone; use a region id such as UTC or Asia/Jakarta");
        }
    }

    /** A configured value that must be present; names the key and the source when it is not. */
    public static String required(Configuration conf, String key, String owner) {
        String value = conf.getString(key, null);
        if (value == null || value.isBlank()) {
            throw new SetupException("Missing '" + key + "' for " + owner + ": add it to the sources section of the config");
        }
        return value;
    }

    public String id() {
        return id;
    }

    public String hostname() {
        return hostname;
    }

    public int port() {
        return port;
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    public ZoneId serverTimeZone() {
        return serverTimeZone;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public int chunkSize() {
        return chunkSize;
    }

    public OutOfRangeDates outOfRangeDates() {
        return outOfRangeDates;
    }

    /** The {@code debezium.*} pass-through properties, prefix removed, over the given defaults. */
    public Properties debeziumProperties(Map<String, String> defaults) {
        Properties merged = new Properties();
        merged.putAll(defaults);
        merged.putAll(debezium);
        return merged;
    }

    /** {@code MySQL source clinic at 127.0.0.1:3306}, for messages. */
    public String describe() {
        return kind + " source " + id + " at " + hostname + ":" + port;
    }
}
