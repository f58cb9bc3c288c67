package io.lakehousecdc.source.postgres;

import io.lakehousecdc.core.SetupException;
import io.lakehousecdc.source.SourceOptions;
import io.lakehousecdc.source.SourceSettings;

import org.apache.flink.configuration.Configuration;

import java.io.Serializable;
import java.time.Duration;
import java.util.Locale;

/** A PostgreSQL source's settings, validated once from its {@code sources[]} entry. */
public final class PostgresSourceSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    private final SourceSettings common;
    private final String database;
    private final String slotName;
    private final String publication;
    private final Duration heartbeatInterval;

    private PostgresSourceSettings(Configuration conf) {
        this.common = new SourceSettings(conf, "PostgreSQL", 5432);
        this.database = SourceSettings.required(conf, SourceOptions.DATABASE.key(), "source " + common.id());
        this.slotName = conf.getOptional(SourceOptions.SLOT_NAME)
                .orElse(("lakehouse_" + common.id()).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_"));
        if (!slotName.matches("[a-z0-9_]{1,63}")) {
            throw new SetupException("Source " + common.id() + ": slot-name '" + slotName
                    + "' may hold only lower-case letters, digits and underscores (at most 63)");
        }
        this.publication = conf.getOptional(SourceOptions.PUBLICATION).orElse(slotName + "_pub");
        this.heartbeatInterval = conf.get(SourceOptions.HEARTBEAT_INTERVAL);
    }

    public static PostgresSourceSettings from(Configuration conf) {
        return new PostgresSourceSettings(conf);
    }

    public String database() {
        return database;
    }

    SourceSettings common() {
        return common;
    }

    String slotName() {
        return slotName;
    }

    String publication() {
        return publication;
    }

    Duration heartbeatInterval() {
        return heartbeatInterval;
    }

    String jdbcUrl() {
        return "jdbc:postgresql://" + common.hostname() + ":" + common.port() + "/" + database
                + "?connectTimeout=" + Math.max(1, common.connectTimeout().toSeconds()) + "&ApplicationName=lakehouse-cdc";
    }

    String describe() {
        return common.describe() + "/" + database;
    }
}
