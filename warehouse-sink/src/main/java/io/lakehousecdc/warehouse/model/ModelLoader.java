package io.lakehousecdc.warehouse.model;

import io.lakehousecdc.core.SetupException;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.yaml.snakeyaml.error.MarkedYAMLException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads the models of a directory, one model per {@code .yaml}/{@code .yml} file, and validates
 * each on its own and all of them together. Every problem is a {@link SetupException} whose one
 * line names the file, the model and the fix.
 */
public final class ModelLoader {

    /** Lower-case SQL identifiers that need no quoting anywhere; 63 is PostgreSQL's limit. */
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final Pattern SQL_TYPE = Pattern.compile("[A-Za-z][A-Za-z ]*(\\(\\s*\\d+\\s*(,\\s*\\d+\\s*)?\\))?");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z_][a-z0-9_]*)}");
    private static final Set<String> ENCODINGS = Set.of("raw", "az64", "bytedict", "delta", "delta32k", "lzo",
            "mostly8", "mostly16", "mostly32", "runlength", "text255", "text32k", "zstd");
    private static final Set<String> DIST_STYLES = Set.of("auto", "even", "all", "key");
    private static final Map<String, Set<String>> FIELDS = Map.of(
            "dimension", Set.of("name", "kind", "scd", "lake-table", "table", "key", "columns", "tracked",
                    "on-delete", "surrogate-key", "redshift"),
            "fact", Set.of("name", "kind", "lake-table", "table", "key", "columns", "time", "dimensions", "redshift"),
            "report", Set.of("name", "kind", "table", "sql", "redshift"));

    private ModelLoader() {}

    /** Every model of {@code directory}, validated together. */
    public static List<Model> load(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new SetupException("Models directory " + directory + " does not exist:"
                    + " point warehouse.models at the directory holding the model YAML files");
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(directory)) {
            files = list.filter(p -> p.getFileName().toString().matches(".*\\.ya?ml")).sorted().toList();
        } catch (IOException e) {
            throw new SetupException("Cannot list models directory " + directory + ": " + SetupException.firstLine(e));
        }
        if (files.isEmpty()) {
            throw new SetupException("Models directory " + directory + " has no .yaml files: add a model or unset warehouse.models");
        }
        List<Model> models = new ArrayList<>();
        for (Path file : files) {
            String text;
            try {
                text = Files.readString(file);
            } catch (IOException e) {
                throw new SetupException("Cannot read model file " + file + ": " + SetupException.firstLine(e));
            }
            String fileName = file.getFileName().toString();
            models.add(parse(text, file.toString(), fileName.substring(0, fileName.lastIndexOf('.'))));
        }
        return validateTogether(models);
    }

    /**
     * Parses one model.
     *
     * @param origin names the text in messages
     * @param defaultName the model's name when the text gives none (the file name)
     */
    public static Model parse(String yaml, String origin, String defaultName) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
        } catch (JacksonException e) {
            throw new SetupException("Model file " + origin + " is not valid YAML (line "
                    + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()) + "): " + yamlProblem(e));
        }
        if (root == null || !root.isObject()) {
            throw new SetupException("Model file " + origin + " is empty or not a mapping: start from an example in README.md, section Warehouse");
        }
        String name = root.hasNonNull("name") ? root.get("name").asText() : defaultName;
        Errors err = new Errors(origin, name);
        if (!IDENTIFIER.matcher(name).matches()) {
            throw err.of("the name is not a lower-case SQL identifier: use letters, digits and underscores, at most 63");
        }
        String kindText = text(root, "kind", err, true);
        if (!FIELDS.containsKey(kindText)) {
            throw err.of("kind '" + kindText + "' is unknown: use dimension, fact or report");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!FIELDS.get(kindText).contains(field)) {
                throw err.of("field '" + field + "' is not one of a " + kindText + "'s: "
                        + String.join(", ", FIELDS.get(kindText).stream().sorted().toList()));
            }
        }
        String table = root.hasNonNull("table") ? identifier(text(root, "table", err, true), "table", err) : name;
        ModelKind kind = switch (kindText) {
            case "dimension" -> switch (root.path("scd").asText("")) {
                case "1" -> ModelKind.SCD1_DIMENSION;
                case "2" -> ModelKind.SCD2_DIMENSION;
                default -> throw err.of("a dimension needs 'scd: 1' (upsert in place) or 'scd: 2' (keep versions)");
            };
            case "fact" -> ModelKind.FACT;
            default -> ModelKind.REPORT;
        };
        if (kind == ModelKind.REPORT) {
            String sql = text(root, "sql", err, true).strip();
            List<String> inputs = new ArrayList<>(new LinkedHashSet<>(placeholders(sql)));
            if (inputs.isEmpty()) {
                throw err.of("its sql reads no model: name the tables it reads as {model_name}");
            }
            RedshiftLayout layout = redshift(root.get("redshift"), null, err);
            return new Model(name, origin, kind, null, table, List.of(), List.of(), List.of(), false, null, null,
                    List.of(), sql, inputs, layout);
        }

        String lakeTable = text(root, "lake-table", err, true);
        if (!lakeTable.matches("[a-z0-9_]+")) {
            throw err.of("lake-table '" + lakeTable + "' is not a lake table name: write it as <source>_<database>_<table>, lower case");
        }
        List<ModelColumn> columns = columns(root.get("columns"), err);
        Set<String> names = new HashSet<>();
        for (ModelColumn column : columns) {
            if (!names.add(column.name())) {
                throw err.of("column '" + column.name() + "' appears twice: rename one with 'as'");
            }
            if (MetadataColumns.ALL.contains(column.name())) {
                throw err.of("column '" + column.name() + "' has a name the warehouse keeps for itself: rename it with 'as'");
            }
        }
        List<String> key = names(root.get("key"), "key", err);
        if (key.isEmpty()) {
            throw err.of("it has no key: list its " + (kind == ModelKind.FACT ? "row" : "natural") + " key columns under 'key'");
        }
        for (String k : key) {
            requireColumn(k, names, "key", err);
        }

        List<String> tracked = List.of();
        boolean flagDeletes = false;
        String surrogateKey = null;
        String time = null;
        List<DimensionRef> dimensions = List.of();
        if (kind.isDimension()) {
            surrogateKey = root.hasNonNull("surrogate-key") ? identifier(text(root, "surrogate-key", err, true), "surrogate-key", err) : "sk";
            if (names.contains(surrogateKey)) {
                throw err.of("surrogate-key '" + surrogateKey + "' is also a column: give the surrogate key another name");
            }
        } else if (root.has("surrogate-key")) {
            throw err.of("only dimensions have a surrogate-key");
        }
        if (kind == ModelKind.SCD2_DIMENSION) {
            if (root.has("on-delete")) {
                throw err.of("on-delete is for scd: 1 dimensions; an scd: 2 dimension closes the current version on delete");
            }
            List<String> attributes = columns.stream().map(ModelColumn::name).filter(c -> !key.contains(c)).toList();
            tracked = root.has("tracked") ? names(root.get("tracked"), "tracked", err) : attributes;
            for (String t : tracked) {
                requireColumn(t, names, "tracked", err);
                if (key.contains(t)) {
                    throw err.of("tracked column '" + t + "' is part of the key: track only non-key columns");
                }
            }
        } else if (root.has("tracked")) {
            throw err.of("tracked is for scd: 2 dimensions");
        }
        if (kind == ModelKind.SCD1_DIMENSION && root.has("on-delete")) {
            String onDelete = text(root, "on-delete", err, true);
            if (!onDelete.equals("delete") && !onDelete.equals("flag")) {
                throw err.of("on-delete '" + onDelete + "' is unknown: use delete (remove the row) or flag (set is_deleted)");
            }
            flagDeletes = onDelete.equals("flag");
        }
        if (kind == ModelKind.FACT) {
            time = text(root, "time", err, true);
            requireColumn(time, names, "time", err);
            dimensions = dimensions(root.get("dimensions"), names, err);
        }
        Set<String> tableColumns = new HashSet<>(names);
        if (surrogateKey != null) {
            tableColumns.add(surrogateKey);
        }
        dimensions.forEach(d -> tableColumns.add(d.as()));
        if (kind == ModelKind.SCD2_DIMENSION) {
            tableColumns.addAll(List.of(MetadataColumns.VALID_FROM, MetadataColumns.VALID_TO, MetadataColumns.IS_CURRENT, MetadataColumns.VERSION));
        }
        RedshiftLayout layout = redshift(root.get("redshift"), tableColumns, err);
        return new Model(name, origin, kind, lakeTable, table, List.copyOf(columns), List.copyOf(key), List.copyOf(tracked),
                flagDeletes, surrogateKey, time, dimensions, null, List.of(), layout);
    }

    /** Checks what spans models: unique names and tables, facts' dimensions, reports' inputs. */
    public static List<Model> validateTogether(List<Model> models) {
        Map<String, Model> byName = new LinkedHashMap<>();
        Map<String, Model> byTable = new HashMap<>();
        for (Model model : models) {
            Model before = byName.putIfAbsent(model.name(), model);
            if (before != null) {
                throw new Errors(model.origin(), model.name()).of("the name is also used in " + before.origin() + ": give each model its own");
            }
            Model sameTable = byTable.putIfAbsent(model.table(), model);
            if (sameTable != null) {
                throw new Errors(model.origin(), model.name()).of("its table " + model.table() + " is also model "
                        + sameTable.name() + "'s: set 'table' to another name");
            }
        }
        for (Model model : models) {
            Errors err = new Errors(model.origin(), model.name());
            for (DimensionRef ref : model.dimensions()) {
                Model dim = byName.get(ref.model());
                if (dim == null || !dim.kind().isDimension()) {
                    throw err.of("dimension '" + ref.model() + "' is " + (dim == null ? "not a model" : "a " + dim.kind().name().toLowerCase(Locale.ROOT))
                            + ": name a dimension model");
                }
                if (dim.key().size() != ref.columns().size()) {
                    throw err.of("dimension " + ref.model() + " has a key of " + dim.key().size() + " column(s), " + dim.key()
                            + ", but the reference names " + ref.columns().size() + ": list one fact column per key column");
                }
            }
            for (String input : model.inputs()) {
                if (!byName.containsKey(input)) {
                    throw err.of("its sql reads {" + input + "}, which is not a model: name a model of warehouse.models");
                }
                if (input.equals(model.name())) {
                    throw err.of("its sql reads its own table: a report reads other models");
                }
            }
        }
        for (Model model : models) {
            checkNoCycle(model, byName, new ArrayList<>());
        }
        return List.copyOf(models);
    }

    private static void checkNoCycle(Model model, Map<String, Model> byName, List<String> path) {
        if (path.contains(model.name())) {
            throw new Errors(model.origin(), model.name()).of("reports read each other in a cycle, "
                    + String.join(" -> ", path) + " -> " + model.name() + ": break the cycle");
        }
        path.add(model.name());
        for (String input : model.inputs()) {
            checkNoCycle(byName.get(input), byName, path);
        }
        path.remove(path.size() - 1);
    }

    /** SnakeYAML's reason without its multi-line excerpt of the text. */
    private static String yamlProblem(JacksonException e) {
        if (e.getCause() instanceof MarkedYAMLException marked && marked.getProblem() != null) {
            return marked.getProblem();
        }
        return e.getOriginalMessage().lines().findFirst().orElse("");
    }

    /** The {@code {model}} names in a report's SQL, in order of appearance. */
    static List<String> placeholders(String sql) {
        List<String> names = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(sql);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static List<ModelColumn> columns(JsonNode node, Errors err) {
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw err.of("it has no columns: list them under 'columns' as lake column names or {lake: x, as: y}");
        }
        List<ModelColumn> columns = new ArrayList<>();
        for (JsonNode item : node) {
            if (item.isTextual()) {
                String lake = identifier(item.asText(), "column", err);
                columns.add(new ModelColumn(lake, lake, null));
            } else if (item.isObject()) {
                for (Iterator<String> it = item.fieldNames(); it.hasNext(); ) {
                    String field = it.next();
                    if (!Set.of("lake", "as", "type").contains(field)) {
                        throw err.of("column field '" + field + "' is unknown: a column has lake, as and type");
                    }
                }
                String lake = identifier(text(item, "lake", err, true), "column", err);
                String as = item.hasNonNull("as") ? identifier(item.get("as").asText(), "column", err) : lake;
                String type = item.hasNonNull("type") ? item.get("type").asText().strip() : null;
                if (type != null && !SQL_TYPE.matcher(type).matches()) {
                    throw err.of("column " + as + " has type '" + type + "', which is not a plain SQL type: write it as VARCHAR(100) or NUMERIC(12,2)");
                }
                columns.add(new ModelColumn(lake, as, type));
            } else {
                throw err.of("a column is neither a name nor a mapping: write - name or - {lake: x, as: y}");
            }
        }
        return columns;
    }

    private static List<DimensionRef> dimensions(JsonNode node, Set<String> columns, Errors err) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw err.of("'dimensions' must be a list of {model: d, columns: [c], as: d_sk}");
        }
        List<DimensionRef> refs = new ArrayList<>();
        Set<String> as = new HashSet<>();
        for (JsonNode item : node) {
            if (!item.isObject()) {
                throw err.of("a dimension reference is not a mapping: write it as {model: d, columns: [c], as: d_sk}");
            }
            for (Iterator<String> it = item.fieldNames(); it.hasNext(); ) {
                String field = it.next();
                if (!Set.of("model", "columns", "as").contains(field)) {
                    throw err.of("dimension reference field '" + field + "' is unknown: a reference has model, columns and as");
                }
            }
            String model = text(item, "model", err, true);
            List<String> refColumns = names(item.get("columns"), "dimension " + model + " columns", err);
            if (refColumns.isEmpty()) {
                throw err.of("the reference to dimension " + model + " names no columns: list the fact columns holding its natural key");
            }
            for (String c : refColumns) {
                requireColumn(c, columns, "dimension " + model, err);
            }
            String target = item.hasNonNull("as") ? identifier(item.get("as").asText(), "as", err) : model + "_sk";
            if (columns.contains(target) || !as.add(target)) {
                throw err.of("the surrogate key column '" + target + "' of dimension " + model + " clashes with another column: set 'as' to a free name");
            }
            refs.add(new DimensionRef(model, refColumns, target));
        }
        return List.copyOf(refs);
    }

    private static RedshiftLayout redshift(JsonNode node, Set<String> columns, Errors err) {
        if (node == null || node.isNull()) {
            return RedshiftLayout.DEFAULT;
        }
        if (!node.isObject()) {
            throw err.of("'redshift' must be a mapping of diststyle, distkey, sortkey and encode");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!Set.of("diststyle", "distkey", "sortkey", "encode").contains(field)) {
                throw err.of("redshift field '" + field + "' is unknown: use diststyle, distkey, sortkey and encode");
            }
        }
        String style = node.hasNonNull("diststyle") ? node.get("diststyle").asText().toLowerCase(Locale.ROOT) : null;
        if (style != null && !DIST_STYLES.contains(style)) {
            throw err.of("redshift diststyle '" + style + "' is unknown: use auto, even, all or key");
        }
        String distKey = node.hasNonNull("distkey") ? node.get("distkey").asText() : null;
        if (distKey != null) {
            requireLayoutColumn(distKey, columns, "distkey", err);
            if (style != null && !style.equals("key")) {
                throw err.of("redshift distkey needs diststyle key: drop diststyle or set it to key");
            }
        } else if ("key".equals(style)) {
            throw err.of("redshift diststyle key needs a distkey column");
        }
        List<String> sortKey = node.has("sortkey") ? names(node.get("sortkey"), "redshift sortkey", err) : List.of();
        sortKey.forEach(c -> requireLayoutColumn(c, columns, "sortkey", err));
        Map<String, String> encodings = new LinkedHashMap<>();
        JsonNode encode = node.get("encode");
        if (encode != null && !encode.isNull()) {
            if (!encode.isObject()) {
                throw err.of("redshift encode must map columns to encodings, e.g. {name: zstd}");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = encode.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                requireLayoutColumn(e.getKey(), columns, "encode", err);
                String encoding = e.getValue().asText().toLowerCase(Locale.ROOT);
                if (!ENCODINGS.contains(encoding)) {
                    throw err.of("redshift encoding '" + encoding + "' of column " + e.getKey() + " is unknown: use one of "
                            + String.join(", ", ENCODINGS.stream().sorted().toList()));
                }
                encodings.put(e.getKey(), encoding);
            }
        }
        return new RedshiftLayout(style == null ? null : style.toUpperCase(Locale.ROOT), distKey, sortKey, Map.copyOf(encodings));
    }

    private static void requireLayoutColumn(String column, Set<String> columns, String what, Errors err) {
        // A report's columns are known only from its query; Redshift itself checks those.
        if (columns != null && !columns.contains(column)) {
            throw err.of("redshift " + what + " column '" + column + "' is not a column of the table: use one of "
                    + String.join(", ", columns.stream().sorted().toList()));
        }
    }

    private static void requireColumn(String name, Set<String> columns, String what, Errors err) {
        if (!columns.contains(name)) {
            throw err.of(what + " column '" + name + "' is not among its columns: add it under columns or fix the name"
                    + " (key, tracked, time and dimensions name warehouse columns, after any 'as')");
        }
    }

    private static List<String> names(JsonNode node, String what, Errors err) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        if (node.isTextual()) {
            names.add(identifier(node.asText(), what, err));
        } else if (node.isArray()) {
            for (JsonNode item : node) {
                names.add(identifier(item.asText(), what, err));
            }
        } else {
            throw err.of("'" + what + "' must be a column name or a list of them");
        }
        return names;
    }

    private static String identifier(String value, String what, Errors err) {
        if (!IDENTIFIER.matcher(value).matches()) {
            throw err.of(what + " '" + value + "' is not a lower-case SQL identifier: use letters, digits and underscores, at most 63");
        }
        return value;
    }

    private static String text(JsonNode node, String field, Errors err, boolean required) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull() || value.asText().isBlank()) {
            if (required) {
                throw err.of("'" + field + "' is missing: add it");
            }
            return null;
        }
        if (!value.isValueNode()) {
            throw err.of("'" + field + "' must be a single value");
        }
        return value.asText();
    }

    /** Builds the one-line errors of one model. */
    private record Errors(String origin, String model) {
        SetupException of(String problem) {
            return new SetupException("Model file " + origin + ", model " + model + ": " + problem);
        }
    }
}
