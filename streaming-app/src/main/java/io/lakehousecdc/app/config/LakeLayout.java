package io.lakehousecdc.app.config;

import io.lakehousecdc.core.LakeZone;
import io.lakehousecdc.core.PipelineOptions;
import io.lakehousecdc.core.SetupException;
import io.lakehousecdc.core.TableId;
import io.lakehousecdc.lake.LakeOptions;
import io.lakehousecdc.lake.RawZoneSink;

import org.apache.flink.configuration.Configuration;

import io.lakehousecdc.source.SourceOptions;
import io.lakehousecdc.source.SourceSettings;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Where the configured tables live in the lake, known from the configuration alone. */
public final class LakeLayout {

    private LakeLayout() {}

    /** The lake base path as a URI: plain paths become absolute {@code file:} URIs. */
    public static String basePath(Configuration global) {
        String configured = global.get(LakeOptions.BASE_PATH);
        if (configured == null || configured.isBlank()) {
            throw new SetupException("lake.base-path is not set: add it under 'lake' in the config (a path or s3a:// URI)");
        }
        return asUri(configured);
    }

    /** {@code location} as a URI: one with a scheme (`s3a://`, `file:/`) stays as it is, a plain path becomes an absolute {@code file:} URI. */
    public static String asUri(String location) {
        if (location.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
            return location;
        }
        return Path.of(location).toAbsolutePath().normalize().toUri().toString();
    }

    /**
     * Where the job's checkpoints go, and its savepoints under {@code savepoints/}:
     * {@code pipeline.checkpoint-dir}, by default {@code _checkpoints/<pipeline name>} in the lake.
     */
    public static String checkpointDir(Configuration global) {
        return global.getOptional(PipelineOptions.CHECKPOINT_DIR).orElseGet(() -> {
            String base = basePath(global);
            return base + (base.endsWith("/") ? "" : "/") + "_checkpoints/" + global.get(PipelineOptions.NAME);
        });
    }

    /**
     * A configured table's id: {@code database.table} for MySQL, {@code schema.table} in the
     * source's database for PostgreSQL, {@code schema.table} (its folders) for DMS.
     */
    public static TableId tableId(Configuration table, Configuration source) {
        String sourceId = table.get(LakeOptions.SOURCE);
        String qualified = table.get(LakeOptions.TABLE);
        String type = sourceType(source);
        boolean postgres = type.equals("postgres");
        int dot = qualified.indexOf('.');
        if (dot <= 0 || dot == qualified.length() - 1 || qualified.indexOf('.', dot + 1) >= 0) {
            throw new SetupException("Table '" + qualified + "' of source " + sourceId + " must be written "
                    + (type.equals("mysql") ? "database.table" : "schema.table"));
        }
        String first = qualified.substring(0, dot);
        String name = qualified.substring(dot + 1);
        return postgres
                ? TableId.postgres(sourceId, SourceSettings.required(source, SourceOptions.DATABASE.key(), "source " + sourceId),
                        first, name)
                : TableId.mysql(sourceId, first, name);
    }

    /** The source's type, lower case: mysql, postgres or dms. */
    public static String sourceType(Configuration source) {
        String type = source.getOptional(SourceOptions.TYPE).orElse("").toLowerCase(Locale.ROOT);
        if (!type.equals("mysql") && !type.equals("postgres") && !type.equals("dms")) {
            throw new SetupException("Source " + source.get(SourceOptions.ID) + " has type '" + type
                    + "': use mysql, postgres or dms");
        }
        return type;
    }

    /** Each configured source's values, by source id. */
    public static Map<String, Configuration> sourcesById(LakehouseConfig config) {
        Map<String, Configuration> sources = new LinkedHashMap<>();
        config.sources().forEach(s -> sources.put(s.get(SourceOptions.ID), s));
        return sources;
    }

    /** The source a configured table comes from; an error names a table whose source is not configured. */
    public static Configuration sourceOf(Configuration table, Map<String, Configuration> sourcesById) {
        Configuration source = sourcesById.get(table.get(LakeOptions.SOURCE));
        if (source == null) {
            throw new SetupException("Table " + table.get(LakeOptions.TABLE) + " names source '" + table.get(LakeOptions.SOURCE)
                    + "', which is not in sources: add it or fix the table's source");
        }
        return source;
    }

    /** Processed-zone path of every configured table, by lake table name. */
    public static Map<String, String> processedTables(LakehouseConfig config) {
        return processedTables(config, config.tables());
    }

    /** The processed-zone path of each of {@code tables} (entries shaped like the config's), by lake name. */
    public static Map<String, String> processedTables(LakehouseConfig config, List<Configuration> tables) {
        return zoneTables(config, tables, LakeZone.PROCESSED, "");
    }

    /**
     * The raw-zone change log path of each of {@code tables} that keeps one, by its query name:
     * the lake name with {@code _raw}.
     */
    public static Map<String, String> rawTables(LakehouseConfig config, List<Configuration> tables) {
        return zoneTables(config, tables.stream().filter(t -> t.get(LakeOptions.RAW_ZONE)).toList(), LakeZone.RAW, RawZoneSink.NAME_SUFFIX);
    }

    private static Map<String, String> zoneTables(LakehouseConfig config, List<Configuration> tables, LakeZone zone,
            String suffix) {
        String base = basePath(config.global());
        Map<String, Configuration> sources = sourcesById(config);
        Map<String, String> paths = new LinkedHashMap<>();
        for (Configuration table : tables) {
            TableId id = tableId(table, sourceOf(table, sources));
            paths.put(id.lakeName() + suffix, id.lakePath(base, zone));
        }
        return paths;
    }
}
