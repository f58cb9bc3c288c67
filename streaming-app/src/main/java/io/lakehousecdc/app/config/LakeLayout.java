package io.lakehousecdc.app.config;

import io.lakehousecdc.core.LakeZone;
import io.lakehousecdc.core.SetupException;
import io.lakehousecdc.core.TableId;
import io.lakehousecdc.lake.LakeOptions;

import org.apache.flink.configuration.Configuration;

import java.nio.file.Path;
import java.util.LinkedHashMap;
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
        if (configured.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
            return configured;
        }
        return Path.of(configured).toAbsolutePath().normalize().toUri().toString();
    }

    /** A configured table's id: {@code database.table} of a MySQL source. */
    public static TableId tableId(Configuration table) {
        String source = table.get(LakeOptions.SOURCE);
        String qualified = table.get(LakeOptions.TABLE);
        int dot = qualified.indexOf('.');
        if (dot <= 0 || dot == qualified.length() - 1 || qualified.indexOf('.', dot + 1) >= 0) {
            throw new SetupException("Table '" + qualified + "' of source " + source + " must be written database.table");
        }
        return TableId.mysql(source, qualified.substring(0, dot), qualified.substring(dot + 1));
    }

    /** Processed-zone path of every configured table, by lake table name. */
    public static Map<String, String> processedTables(LakehouseConfig config) {
        String base = basePath(config.global());
        Map<String, String> paths = new LinkedHashMap<>();
        for (Configuration table : config.tables()) {
            TableId id = tableId(table);
            paths.put(id.lakeName(), id.lakePath(base, LakeZone.PROCESSED));
        }
        return paths;
    }
}
