package io.lakehousecdc.app.config;

import io.lakehousecdc.core.PipelineOptions;
import io.lakehousecdc.core.SetupException;
import io.lakehousecdc.lake.LakeOptions;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.util.TimeUtils;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The effective configuration: built-in defaults, then the YAML file, then {@code --set}
 * overrides, each value remembering where it came from.
 *
 * <p>Values are addressed by flat keys: {@code pipeline.name}, {@code lake.base-path},
 * {@code sources.<id>.<key>} and {@code tables.<source>.<database.table>.<key>}.
 */
public final class LakehouseConfig {
    private static final Set<String> SECTIONS = Set.of("pipeline", "control-plane", "lake", "warehouse", "failed-events", "sources", "tables");
    private static final List<ConfigOption<?>> GLOBAL_DEFAULTS = List.of(
            PipelineOptions.NAME, PipelineOptions.TIMEZONE, PipelineOptions.CHECKPOINT_INTERVAL,
            PipelineOptions.PARALLELISM, PipelineOptions.WEB_UI_PORT,
            LakeOptions.COMPACTION_DELTA_COMMITS, LakeOptions.COMPACTION_INTERVAL, LakeOptions.RETENTION,
            LakeOptions.BUCKET_COUNT, LakeOptions.WRITE_BUFFER_MB);

    private final Map<String, Setting> settings;
    /** Key prefixes of the entries of sources[] ({@code sources.clinic}) and tables[]. */
    private final List<String> sourceEntries;
    private final List<String> tableEntries;

    private LakehouseConfig(Map<String, Setting> settings, List<String> sourceEntries, List<String> tableEntries) {
        this.settings = settings;
        this.sourceEntries = List.copyOf(sourceEntries);
        this.tableEntries = List.copyOf(tableEntries);
    }

    /** Loads {@code file} and applies {@code overrides} ({@code key=value}). */
    public static LakehouseConfig load(Path file, List<String> overrides) {
        String yaml;
        try {
            yaml = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new SetupException("Config file " + file + " does not exist: pass an existing file to --config");
        } catch (IOException e) {
            throw new SetupException("Cannot read config file " + file + ": " + e.getMessage());
        }
        return parse(yaml, file.toString(), overrides, System.getenv());
    }

    /**
     * Parses configuration text.
     *
     * @param origin names the text in messages and in {@code config show}
     * @param env the environment that {@code ${env:NAME}} references read
     */
    public static LakehouseConfig parse(String yaml, String origin, List<String> overrides, Map<String, String> env) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
        } catch (JacksonException e) {
            throw new SetupException("Config " + origin + " is not valid YAML (line "
                    + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()) + "): " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new SetupException("Config " + origin + " is empty or not a mapping: start from the example in README.md");
        }
        Map<String, Setting> settings = new LinkedHashMap<>();
        for (ConfigOption<?> option : GLOBAL_DEFAULTS) {
            // Durations in the form the file takes (30 s), which Flink parses back, not Java's PT30S.
            Object value = option.defaultValue();
            String text = value instanceof Duration duration ? TimeUtils.formatWithHighestUnit(duration) : String.valueOf(value);
            settings.put(option.key(), Setting.of(text, "default", false));
        }
        SecretReferences secrets = new SecretReferences(env);
        List<String> sourceEntries = new ArrayList<>();
        List<String> tableEntries = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> section = it.next();
            String name = section.getKey();
            if (!SECTIONS.contains(name)) {
                throw new SetupException("Unknown section '" + name + "' in " + origin + ": expected one of "
                        + String.join(", ", SECTIONS.stream().sorted().toList()));
            }
            JsonNode node = section.getValue();
            if (name.equals("sources")) {
                for (JsonNode source : elements(node, name, origin)) {
                    String entry = "sources." + requiredText(source, "id", "sources[]", origin);
                    if (sourceEntries.contains(entry)) {
                        throw new SetupException("Two sources have id '" + entry.substring(8) + "' in " + origin + ": give each its own");
                    }
                    sourceEntries.add(entry);
                    flatten(settings, entry, source, origin, secrets);
                }
            } else if (name.equals("tables")) {
                for (JsonNode table : elements(node, name, origin)) {
                    String source = requiredText(table, "source", "tables[]", origin);
                    String qualified = requiredText(table, "table", "tables[]", origin);
                    String entry = "tables." + source + "." + qualified;
                    if (tableEntries.contains(entry)) {
                        throw new SetupException("Table " + qualified + " of source " + source + " is listed twice in " + origin);
                    }
                    tableEntries.add(entry);
                    flatten(settings, entry, table, origin, secrets);
                }
            } else {
                flatten(settings, name, node, origin, secrets);
            }
        }
        for (String override : overrides) {
            int eq = override.indexOf('=');
            if (eq <= 0) {
                throw new SetupException("--set " + override + " is not key=value: write it as --set pipeline.name=clinic");
            }
            String key = override.substring(0, eq).trim();
            if (!SECTIONS.contains(key.split("\\.", 2)[0])) {
                throw new SetupException("--set " + key + ": unknown key; keys start with one of "
                        + String.join(", ", SECTIONS.stream().sorted().toList()));
            }
            String section = key.split("\\.", 2)[0];
            List<String> entries = section.equals("sources") ? sourceEntries : section.equals("tables") ? tableEntries : null;
            if (entries != null && entries.stream().noneMatch(entry -> key.startsWith(entry + "."))) {
                throw new SetupException("--set " + key + ": no such entry; address it as "
                        + (section.equals("sources") ? "sources.<id>.<key>" : "tables.<source>.<database.table>.<key>"));
            }
            String value = override.substring(eq + 1);
            settings.put(key, setting(secrets, key, value, "--set"));
        }
        settings.forEach((key, setting) -> {
            if (!setting.origin().equals("default")) {
                KnownKeys.check(key, entryOf(key, key.startsWith("sources.") ? sourceEntries : tableEntries), setting.origin());
            }
        });
        return new LakehouseConfig(settings, sourceEntries, tableEntries);
    }

    /** The sources[] or tables[] entry a flat key belongs to; null for keys of the other sections. */
    private static String entryOf(String key, List<String> entries) {
        if (!key.startsWith("sources.") && !key.startsWith("tables.")) {
            return null;
        }
        return entries.stream().filter(entry -> key.startsWith(entry + "."))
                .max(Comparator.comparingInt(String::length)).orElseThrow();
    }

    private static void flatten(Map<String, Setting> out, String prefix, JsonNode node, String origin, SecretReferences secrets) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(out, prefix + "." + e.getKey(), e.getValue(), origin, secrets);
            }
        } else if (!node.isNull()) {
            String raw = node.isArray() ? joinArray(node) : node.asText();
            out.put(prefix, setting(secrets, prefix, raw, origin));
        }
    }

    private static String joinArray(JsonNode node) {
        List<String> parts = new ArrayList<>();
        node.forEach(n -> parts.add(n.asText()));
        return String.join(";", parts);
    }

    private static Setting setting(SecretReferences secrets, String key, String raw, String origin) {
        boolean secret = isSecret(key, raw);
        if (!SecretReferences.hasReference(raw)) {
            return Setting.of(raw, origin, secret);
        }
        try {
            return Setting.of(secrets.resolve(key, raw), origin, secret);
        } catch (SetupException e) {
            return new Setting(null, origin, secret, e.getMessage());
        }
    }

    private static boolean isSecret(String key, String rawValue) {
        String last = key.substring(key.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        return last.contains("password") || last.contains("secret") || last.contains("token")
                || SecretReferences.hasReference(rawValue);
    }

    private static List<JsonNode> elements(JsonNode node, String section, String origin) {
        if (!node.isArray()) {
            throw new SetupException("Section '" + section + "' of " + origin + " must be a list (entries start with '- ')");
        }
        List<JsonNode> items = new ArrayList<>();
        node.forEach(items::add);
        return items;
    }

    private static String requiredText(JsonNode node, String field, String where, String origin) {
        JsonNode value = node.get(field);
        if (value == null || value.asText().isBlank()) {
            throw new SetupException("An entry of " + where + " in " + origin + " has no '" + field + "': add it");
        }
        return value.asText();
    }

    /** Every effective value, in the order it was defined. */
    public Map<String, Setting> settings() {
        return new LinkedHashMap<>(settings);
    }

    /** The {@code pipeline.*} and {@code lake.*} values. */
    public Configuration global() {
        Configuration conf = new Configuration();
        settings.forEach((k, s) -> {
            if (k.startsWith("pipeline.") || k.startsWith("lake.")) {
                conf.setString(k, s.value());
            }
        });
        return conf;
    }

    /** The {@code warehouse.*} values, under their full keys. */
    public Configuration warehouse() {
        Configuration conf = new Configuration();
        settings.forEach((k, s) -> {
            if (k.startsWith("warehouse.")) {
                conf.setString(k, s.value());
            }
        });
        return conf;
    }

    /** Each source's values, keys relative to the source ({@code hostname}, {@code debezium.*}). */
    public List<Configuration> sources() {
        return grouped(sourceEntries);
    }

    /** Each table's values, keys relative to the table ({@code table}, {@code partition-by}). */
    public List<Configuration> tables() {
        return grouped(tableEntries);
    }

    private List<Configuration> grouped(List<String> entries) {
        List<Configuration> out = new ArrayList<>();
        for (String entry : entries) {
            Configuration conf = new Configuration();
            settings.forEach((k, s) -> {
                if (k.startsWith(entry + ".")) {
                    conf.setString(k.substring(entry.length() + 1), s.value());
                }
            });
            out.add(conf);
        }
        return out;
    }
}
