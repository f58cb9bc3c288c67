package io.lakehousecdc.app.control;

import io.lakehousecdc.core.SetupException;
import io.lakehousecdc.lake.LakeOptions;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.util.TimeUtils;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * How one source table is captured, as the control plane holds it. Settings are addressed by the
 * same keys in the CLI, the HTTP API and the config file's {@code tables:} entries:
 * {@code type}, {@code partition-by}, {@code key-columns}, {@code index-type},
 * {@code ordering-column}, {@code retention}, {@code raw-zone}, {@code enabled} and {@code hudi.*}.
 *
 * @param keyColumns the key override for a table whose key is not its primary key; empty to use the primary key
 * @param indexType Hudi's index: {@code state} (Flink state), {@code bucket} or {@code bloom}
 * @param orderingColumn a column that orders changes of a key instead of the source position, or null
 * @param retention how long the lake keeps superseded versions, as a duration ({@code 30d}), or null for {@code lake.retention}
 * @param rawZone whether the append-only change log is kept besides the processed table
 * @param updatedAt when the control plane last changed the entry; null before it is stored
 */
public record TableSettings(
        String source,
        String table,
        LakeOptions.TableType type,
        String partitionBy,
        List<String> keyColumns,
        String indexType,
        String orderingColumn,
        String retention,
        boolean rawZone,
        boolean enabled,
        SortedMap<String, String> hudi,
        Instant updatedAt) {

    static final String TYPE = LakeOptions.TYPE.key();
    static final String PARTITION_BY = LakeOptions.PARTITION_BY.key();
    public static final String KEY_COLUMNS = "key-columns";
    static final String INDEX_TYPE = "index-type";
    static final String ORDERING_COLUMN = "ordering-column";
    static final String RETENTION = "retention";
    static final String RAW_ZONE = LakeOptions.RAW_ZONE.key();
    static final String ENABLED = "enabled";
    private static final List<String> KEYS =
            List.of(TYPE, PARTITION_BY, KEY_COLUMNS, INDEX_TYPE, ORDERING_COLUMN, RETENTION, RAW_ZONE, ENABLED);
    private static final Set<String> INDEX_TYPES = Set.of("state", "bucket", "bloom");

    public TableSettings {
        keyColumns = List.copyOf(keyColumns);
        hudi = new TreeMap<>(hudi);
    }

    /** A table as it is captured when nothing else is said: MERGE_ON_READ, bloom index, raw zone, enabled. */
    static TableSettings defaults(String source, String table) {
        return new TableSettings(source, table, LakeOptions.TableType.MERGE_ON_READ, null, List.of(), "bloom", null, null,
                true, true, new TreeMap<>(), null);
    }

    /**
     * These settings with {@code changes} applied; an empty value clears an optional setting.
     *
     * @throws SetupException naming the first key or value that is not valid
     */
    public TableSettings with(Map<String, String> changes) {
        TableSettings out = this;
        for (Map.Entry<String, String> change : changes.entrySet()) {
            out = out.with(change.getKey(), change.getValue() == null ? "" : change.getValue().trim());
        }
        return out;
    }

    private TableSettings with(String key, String value) {
        String what = "Setting " + key + "=" + value + " of table " + table;
        if (key.startsWith(LakeOptions.HUDI_PREFIX) && key.length() > LakeOptions.HUDI_PREFIX.length()) {
            SortedMap<String, String> options = new TreeMap<>(hudi);
            if (value.isEmpty()) {
                options.remove(key.substring(LakeOptions.HUDI_PREFIX.length()));
            } else {
                options.put(key.substring(LakeOptions.HUDI_PREFIX.length()), value);
            }
            return new TableSettings(source, table, type, partitionBy, keyColumns, indexType, orderingColumn, retention,
                    rawZone, enabled, options, updatedAt);
        }
        switch (key) {
            case "type" -> {
                LakeOptions.TableType parsed = Arrays.stream(LakeOptions.TableType.values())
                        .filter(t -> t.name().equalsIgnoreCase(value)).findFirst()
                        .orElseThrow(() -> new SetupException(what + " is not a table type: use MERGE_ON_READ or COPY_ON_WRITE"));
                return new TableSettings(source, table, parsed, partitionBy, keyColumns, indexType, orderingColumn, retention,
                        rawZone, enabled, hudi, updatedAt);
            }
            case "partition-by" -> {
                return new TableSettings(source, table, type, column(value, what), keyColumns, indexType, orderingColumn,
                        retention, rawZone, enabled, hudi, updatedAt);
            }
            case "key-columns" -> {
                List<String> columns = new ArrayList<>();
                for (String part : value.isEmpty() ? new String[0] : value.split(",", -1)) {
                    String column = column(part.trim(), what);
                    if (column == null) {
                        throw new SetupException(what + " has an empty column name: write the columns as a,b");
                    }
                    columns.add(column);
                }
                return new TableSettings(source, table, type, partitionBy, columns, indexType, orderingColumn, retention,
                        rawZone, enabled, hudi, updatedAt);
            }
            case "index-type" -> {
                String index = value.toLowerCase(Locale.ROOT);
                if (!INDEX_TYPES.contains(index)) {
                    throw new SetupException(what + " is not an index type: use state, bucket or bloom");
                }
                return new TableSettings(source, table, type, partitionBy, keyColumns, index, orderingColumn, retention,
                        rawZone, enabled, hudi, updatedAt);
            }
            case "ordering-column" -> {
                return new TableSettings(source, table, type, partitionBy, keyColumns, indexType, column(value, what),
                        retention, rawZone, enabled, hudi, updatedAt);
            }
            case "retention" -> {
                if (!value.isEmpty()) {
                    try {
                        TimeUtils.parseDuration(value);
                    } catch (IllegalArgumentException e) {
                        throw new SetupException(what + " is not a duration: write it as 30d, 12h or 90min");
                    }
                }
                return new TableSettings(source, table, type, partitionBy, keyColumns, indexType, orderingColumn,
                        value.isEmpty() ? null : value, rawZone, enabled, hudi, updatedAt);
            }
            case "raw-zone" -> {
                return new TableSettings(source, table, type, partitionBy, keyColumns, indexType, orderingColumn, retention,
                        bool(value, what), enabled, hudi, updatedAt);
            }
            case "enabled" -> {
                return new TableSettings(source, table, type, partitionBy, keyColumns, indexType, orderingColumn, retention,
                        rawZone, bool(value, what), hudi, updatedAt);
            }
            default -> throw new SetupException("Unknown table setting '" + key + "': use one of "
                    + String.join(", ", KEYS) + " or " + LakeOptions.HUDI_PREFIX + "<Hudi option>");
        }
    }

    private static String column(String value, String what) {
        if (value.isEmpty()) {
            return null;
        }
        if (!value.matches("[\\p{L}_][\\p{L}\\p{N}_$]*")) {
            throw new SetupException(what + ": '" + value + "' is not a column name");
        }
        return value;
    }

    private static boolean bool(String value, String what) {
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            throw new SetupException(what + " is not a boolean: use true or false");
        }
        return Boolean.parseBoolean(value);
    }

    /** Every setting by its key, optional ones only when set; what {@code show}, the API and the audit log present. */
    public Map<String, String> values() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("source", source);
        values.put("table", table);
        values.put(TYPE, type.name());
        putIfSet(values, PARTITION_BY, partitionBy);
        putIfSet(values, KEY_COLUMNS, keyColumns.isEmpty() ? null : String.join(",", keyColumns));
        values.put(INDEX_TYPE, indexType);
        putIfSet(values, ORDERING_COLUMN, orderingColumn);
        putIfSet(values, RETENTION, retention);
        values.put(RAW_ZONE, String.valueOf(rawZone));
        values.put(ENABLED, String.valueOf(enabled));
        hudi.forEach((k, v) -> values.put(LakeOptions.HUDI_PREFIX + k, v));
        return values;
    }

    private static void putIfSet(Map<String, String> values, String key, String value) {
        if (value != null) {
            values.put(key, value);
        }
    }

    /**
     * The table in the shape of one of {@code LakehouseConfig.tables()}: keys relative to the
     * table ({@code source}, {@code table}, {@code type}, {@code partition-by}, {@code hudi.*}
     * and the control plane's own keys).
     */
    public Configuration toConfiguration() {
        Configuration conf = new Configuration();
        values().forEach(conf::setString);
        return conf;
    }
}
