package io.lakehousecdc.source.dms;

import io.lakehousecdc.core.SetupException;
import io.lakehousecdc.source.SourceOptions;
import io.lakehousecdc.source.SourceSettings;

import org.apache.flink.configuration.Configuration;

import java.io.Serializable;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;

/** A DMS raw-zone source's settings, validated once from its {@code sources[]} entry. */
public final class DmsSourceSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String id;
    private final String path;
    private final String region;
    private final String endpoint;
    private final ZoneId serverTimeZone;
    private final Duration pollInterval;
    private final boolean timestampColumn;
    private final boolean changeSeqColumn;
    private final boolean opInFullLoad;

    private DmsSourceSettings(Configuration conf) {
        this.id = SourceSettings.required(conf, SourceOptions.ID.key(), "a source");
        this.path = SourceSettings.required(conf, SourceOptions.PATH.key(), "source " + id);
        if (path.contains("://") && !path.startsWith("s3://") && !path.startsWith("s3a://") && !path.startsWith("file://")) {
            throw new SetupException("Source " + id + ": path '" + path + "' must be s3://bucket/prefix or a local directory");
        }
        this.region = conf.get(SourceOptions.S3_REGION);
        this.endpoint = conf.get(SourceOptions.S3_ENDPOINT);
        this.serverTimeZone = SourceSettings.serverTimeZone(conf, id);
        this.pollInterval = conf.get(SourceOptions.POLL_INTERVAL);
        this.timestampColumn = conf.get(SourceOptions.TIMESTAMP_COLUMN);
        this.changeSeqColumn = conf.get(SourceOptions.CHANGE_SEQ_COLUMN);
        this.opInFullLoad = conf.get(SourceOptions.OP_IN_FULL_LOAD);
    }

    public static DmsSourceSettings from(Configuration conf) {
        return new DmsSourceSettings(conf);
    }

    String id() {
        return id;
    }

    ZoneId serverTimeZone() {
        return serverTimeZone;
    }

    Duration pollInterval() {
        return pollInterval;
    }

    boolean timestampColumn() {
        return timestampColumn;
    }

    boolean changeSeqColumn() {
        return changeSeqColumn;
    }

    boolean opInFullLoad() {
        return opInFullLoad;
    }

    String describe() {
        return "DMS source " + id + " at " + path;
    }

    /** Opens the raw zone; the caller closes it. */
    RawZone openZone() {
        if (path.startsWith("s3://") || path.startsWith("s3a://")) {
            URI location = URI.create(path.replaceFirst("^s3a://", "s3://"));
            return new S3RawZone(location, region, endpoint == null ? null : URI.create(endpoint));
        }
        return new LocalRawZone(path.startsWith("file://") ? Path.of(URI.create(path)) : Path.of(path));
    }
}
