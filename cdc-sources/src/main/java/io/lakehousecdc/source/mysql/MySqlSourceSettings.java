package io.lakehousecdc.source.mysql;

import io.lakehousecdc.source.SourceOptions;
import io.lakehousecdc.source.SourceSettings;

import org.apache.flink.configuration.Configuration;

import java.io.Serializable;

/** A MySQL source's settings, validated once from its {@code sources[]} entry. */
public final class MySqlSourceSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    private final SourceSettings common;
    private final String serverId;

    private MySqlSourceSettings(Configuration conf) {
        this.common = new SourceSettings(conf, "MySQL", 3306);
        this.serverId = conf.getOptional(SourceOptions.SERVER_ID).orElseGet(() -> defaultServerId(common.id()));
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

    SourceSettings common() {
        return common;
    }

    String serverId() {
        return serverId;
    }

    String jdbcUrl() {
        return "jdbc:mysql://" + common.hostname() + ":" + common.port() + "/?connectTimeout="
                + common.connectTimeout().toMillis()
                + "&socketTimeout=60000&useSSL=false&allowPublicKeyRetrieval=true&connectionTimeZone="
                + common.serverTimeZone().getId() + "&forceConnectionTimeZoneToSession=false";
    }
}
