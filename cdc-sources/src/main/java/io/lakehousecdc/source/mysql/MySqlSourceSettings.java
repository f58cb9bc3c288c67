package io.lakehousecdc.source.mysql;

import io.lakehousecdc.core.SetupException;
import io.lakehousecdc.source.SourceOptions;

import org.apache.flink.configuration.Configuration;

import java.io.Serializable;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.Properties;

/** A MySQL source's settings, validated once from its {@code sources[]} entry. */
public final class MySqlSourceSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String id;
    private final String hostname;
    private final int port;
    private final String username;
    private final String password;
    private final ZoneId serverTimeZone;
    private final String serverId;
    private final Duration connectTimeout;
    private final int chunkSize;
    private final Properties debezium;

    private MySqlSourceSettings(Configuration conf) {
        this.id = required(conf, SourceOptions.ID.key(), conf.get(SourceOptions.ID), "a source");
        this.hostname = conf.get(SourceOptions.HOSTNAME);
        this.port = conf.getOptional(SourceOptions.PORT).orElse(3306);
        this.username = required(conf, SourceOptions.USERNAME.key(), conf.get(SourceOptions.USERNAME), "source " + id);
        this.password = required(conf, SourceOptions.PASSWORD.key(), conf.get(SourceOptions.PASSWORD), "source " + id);
        String zone = conf.get(SourceOptions.SERVER_TIME_ZONE);
        try {
            this.serverTimeZone = ZoneId.of(zone);
        } catch (DateTimeException e) {
            throw new SetupException("Source " + id + ": server-time-zone '" + zone
                    + "' is not a time zone; use a region id such as UTC or Asia/Jakarta");
        }
        this.serverId = conf.getOptional(SourceOptions.SERVER_ID).orElseGet(() -> defaultServerId(id));
        this.connectTimeout = conf.get(SourceOptions.CONNECT_TIMEOUT);
        this.chunkSize = conf.get(SourceOptions.SNAPSHOT_CHUNK_SIZE);
        this.debezium = new Properties();
        for (Map.Entry<String, String> e : conf.toMap().entrySet()) {
            if (e.getKey().startsWith(SourceOptions.DEBEZIUM_PREFIX)) {
                debezium.setProperty(e.getKey().substring(SourceOptions.DEBEZIUM_PREFIX.length()), e.getValue());
            }
        }
    }

    public static MySqlSourceSettings from(Configuration conf) {
        return new MySqlSourceSettings(conf);
    }

    /**
     * A replica server id range of four, spread over 5400-65399 by the source id, so that two
     * sources (or two jobs) rarely collide; {@code server-id} overrides it.
     */
    private static String defaultServerId(String sourceId) {
        int start = 5400 + Math.floorMod(sourceId.hashCode(), 15000) * 4;
        return start + "-" + (start + 3);
    }

    private static String required(Configuration conf, String key, String value, String owner) {
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

    String password() {
        return password;
    }

    public ZoneId serverTimeZone() {
        return serverTimeZone;
    }

    public String serverId() {
        return serverId;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public int chunkSize() {
        return chunkSize;
    }

    Properties debeziumProperties() {
        Properties copy = new Properties();
        copy.putAll(debezium);
        return copy;
    }

    String jdbcUrl() {
        return "jdbc:mysql://" + hostname + ":" + port + "/?connectTimeout=" + connectTimeout.toMillis()
                + "&socketTimeout=60000&useSSL=false&allowPublicKeyRetrieval=true&connectionTimeZone="
                + serverTimeZone.getId() + "&forceConnectionTimeZoneToSession=false";
    }

    String describe() {
        return "MySQL source " + id + " at " + hostname + ":" + port;
    }
}
