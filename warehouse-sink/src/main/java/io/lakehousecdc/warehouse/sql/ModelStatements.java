package io.lakehousecdc.warehouse.sql;

import io.lakehousecdc.core.LakeSchema;
import io.lakehousecdc.warehouse.model.DimensionRef;
import io.lakehousecdc.warehouse.model.MetadataColumns;
import io.lakehousecdc.warehouse.model.Model;
import io.lakehousecdc.warehouse.model.ModelColumn;
import io.lakehousecdc.warehouse.model.ModelKind;
import io.lakehousecdc.warehouse.model.RedshiftLayout;

import org.apache.flink.table.types.logical.BigIntType;
import org.apache.flink.table.types.logical.BooleanType;
import org.apache.flink.table.types.logical.IntType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.TimestampType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static io.lakehousecdc.warehouse.sql.Identifiers.quote;

/**
 * The SQL of every model kind: table definitions, applying one batch of lake changes (staged in a
 * table with the lake's column names plus {@code _cdc_op}, {@code _cdc_ts}, {@code _cdc_seq}),
 * refreshing reports and recording applied instants. Written once in the SQL PostgreSQL and
 * Redshift share (window functions, {@code UPDATE ... FROM}, {@code DELETE ... USING}, temporary
 * tables as the source of every merge); the dialect supplies types, keys and the upsert.
 */
public final class ModelStatements {

    public static final String FEED_STATE_TABLE = "lakehouse_feed_state";
    /** Dimension versions of inferred members start here, so that every fact before the real row finds them. */
    static final String LOW_TIMESTAMP = "CAST('1900-01-01 00:00:00' AS TIMESTAMP)";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z_][a-z0-9_]*)}");
    private static final LogicalType TIME = new TimestampType(3);
    private static final LogicalType SEQ = new BigIntType();

    private final SqlDialect dialect;
    private final String schema;
    private final Map<String, Model> models;
    private final Map<String, RowType> lakeTypes;

    /**
     * @param models every model, by name
     * @param lakeTypes the row type of each lake table the models read, by lake name
     */
    public ModelStatements(SqlDialect dialect, String schema, Map<String, Model> models, Map<String, RowType> lakeTypes) {
        this.dialect = dialect;
        this.schema = schema;
        this.models = models;
        this.lakeTypes = lakeTypes;
    }

    public SqlDialect dialect() {
        return dialect;
    }

    /** {@code "schema"."table"} of a model. */
    public String tableOf(Model model) {
        return Identifiers.qualified(schema, model.table());
    }

    public String feedStateTable() {
        return Identifiers.qualified(schema, FEED_STATE_TABLE);
    }

    // ---------------------------------------------------------------- definitions

    public Sql createSchema() {
        return Sql.of("CREATE SCHEMA IF NOT EXISTS " + quote(schema));
    }

    public Sql createFeedState() {
        return Sql.of(dialect.createTable(feedStateTable(), List.of(
                        new ColumnDefinition("model", "VARCHAR(128)", true),
                        new ColumnDefinition("lake_table", "VARCHAR(384)", true),
                        new ColumnDefinition("last_instant", "VARCHAR(32)", true),
                        new ColumnDefinition("applied_at", "TIMESTAMP", true),
                        new ColumnDefinition("rows", "BIGINT", true)),
                List.of("model", "lake_table"), List.of(), RedshiftLayout.DEFAULT));
    }

    /** The table of a dimension or fact. */
    public Sql createTable(Model model) {
        List<ColumnDefinition> defs = new ArrayList<>();
        List<String> primaryKey;
        List<String> unique = List.of();
        if (model.kind().isDimension()) {
            defs.add(ColumnDefinition.surrogateKey(model.surrogateKey()));
            primaryKey = List.of(model.surrogateKey());
            if (model.kind() == ModelKind.SCD1_DIMENSION) {
                unique = model.key();
            }
        } else {
            primaryKey = model.key();
        }
        for (ModelColumn column : model.columns()) {
            String type = column.type() != null ? column.type() : dialect.type(lakeType(model, column.lakeName()));
            defs.add(new ColumnDefinition(column.name(), type, model.key().contains(column.name())));
        }
        for (DimensionRef ref : model.dimensions()) {
            defs.add(new ColumnDefinition(ref.as(), dialect.type(SEQ), false));
        }
        String bool = dialect.type(new BooleanType());
        String time = dialect.type(TIME);
        String seq = dialect.type(SEQ);
        switch (model.kind()) {
            case SCD1_DIMENSION -> {
                if (model.flagDeletes()) {
                    defs.add(new ColumnDefinition(MetadataColumns.IS_DELETED, bool, true));
                }
                defs.add(new ColumnDefinition(MetadataColumns.IS_INFERRED, bool, true));
                defs.add(new ColumnDefinition(MetadataColumns.SEQ, seq, false));
            }
            case SCD2_DIMENSION -> {
                defs.add(new ColumnDefinition(MetadataColumns.VALID_FROM, time, true));
                defs.add(new ColumnDefinition(MetadataColumns.VALID_TO, time, false));
                defs.add(new ColumnDefinition(MetadataColumns.IS_CURRENT, bool, true));
                defs.add(new ColumnDefinition(MetadataColumns.VERSION, dialect.type(new IntType()), true));
                defs.add(new ColumnDefinition(MetadataColumns.IS_INFERRED, bool, true));
                defs.add(new ColumnDefinition(MetadataColumns.SEQ, seq, false));
                defs.add(new ColumnDefinition(MetadataColumns.LAST_SEQ, seq, false));
                defs.add(new ColumnDefinition(MetadataColumns.LAST_TS, time, false));
                defs.add(new ColumnDefinition(MetadataColumns.END_SEQ, seq, false));
            }
            default -> defs.add(new ColumnDefinition(MetadataColumns.SEQ, seq, true));
        }
        return Sql.of(dialect.createTable(tableOf(model), defs, primaryKey, unique, model.redshift()));
    }

    /** A report's empty table, shaped by its query. */
    public Sql createReport(Model report) {
        return Sql.of(dialect.createTableAs(tableOf(report), reportQuery(report), report.redshift()));
    }

    /** A report's query with its {@code {model}} placeholders replaced by the models' tables. */
    public String reportQuery(Model report) {
        Matcher m = PLACEHOLDER.matcher(report.sql());
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(tableOf(models.get(m.group(1)))));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The lake columns a model reads, by lake name. */
    public static List<String> lakeColumns(Model model) {
        return model.columns().stream().map(ModelColumn::lakeName).toList();
    }

    // ---------------------------------------------------------------- applying a batch

    /**
     * Applies the staged changes to one model.
     *
     * @param stage the staging table, holding every change of the batch
     * @param temp a prefix for this model's temporary tables, unique within the transaction
     */
    public List<Sql> apply(Model model, String stage, String temp) {
        return switch (model.kind()) {
            case SCD1_DIMENSION -> scd1(model, stage, temp);
            case SCD2_DIMENSION -> scd2(model, stage, temp);
            case FACT -> fact(model, stage, temp);
            case REPORT -> throw new IllegalArgumentException("A report is refreshed, not fed: " + model.name());
        };
    }

    /** Recomputes a report from the tables it reads. */
    public List<Sql> refresh(Model report) {
        return List.of(Sql.of("DELETE FROM " + tableOf(report)), fill(report));
    }

    /** Inserts the rows of {@code report}'s query into its (empty) table. */
    public Sql fill(Model report) {
        return Sql.of("INSERT INTO " + tableOf(report) + " " + reportQuery(report));
    }

    /** Records that {@code instant} of {@code lakeTable} is applied to {@code model}. */
    public List<Sql> recordInstant(Model model, String lakeTable, String instant, long rows) {
        return List.of(
                Sql.of("DELETE FROM " + feedStateTable() + " WHERE " + quote("model") + " = ? AND " + quote("lake_table") + " = ?",
                        model.name(), lakeTable),
                Sql.of("INSERT INTO " + feedStateTable() + " (" + quote("model") + ", " + quote("lake_table") + ", "
                                + quote("last_instant") + ", " + quote("applied_at") + ", " + quote("rows") + ")"
                                + " VALUES (?, ?, ?, CURRENT_TIMESTAMP, ?)",
                        model.name(), lakeTable, instant, rows));
    }

    /** Every model's position: columns model, lake_table, last_instant, applied_at. */
    public Sql positions() {
        return Sql.of("SELECT " + quote("model") + ", " + quote("lake_table") + ", " + quote("last_instant") + ", "
                + quote("applied_at") + " FROM " + feedStateTable() + " ORDER BY 2, 1");
    }

    /** The instants applied per model from {@code lakeTable}: columns model, last_instant. */
    public Sql appliedInstants(String lakeTable) {
        return Sql.of("SELECT " + quote("model") + ", " + quote("last_instant") + " FROM " + feedStateTable()
                + " WHERE " + quote("lake_table") + " = ?", lakeTable);
    }

    /**
     * The last change per key of the batch, newer than what the table holds: a change older than
     * the row's own (a late one) must not overwrite it. Deletes are kept: they delete or flag.
     */
    private List<Sql> lastChangePerKey(Model model, String stage, String last, String target) {
        List<Sql> out = new ArrayList<>();
        String partition = model.key().stream().map(k -> "s." + quote(model.requireColumn(k).lakeName())).collect(Collectors.joining(", "));
        out.add(Sql.of("DROP TABLE IF EXISTS " + last));
        out.add(Sql.of("CREATE TEMP TABLE " + last + " AS SELECT " + renamedColumns(model, "x") + ", x." + quote(LakeSchema.OP)
                + ", x." + quote(LakeSchema.COMMIT_TS) + ", x." + quote(LakeSchema.SEQ)
                + " FROM (SELECT s.*, ROW_NUMBER() OVER (PARTITION BY " + partition + " ORDER BY s." + quote(LakeSchema.SEQ)
                + " DESC) AS " + quote("_lh_rn") + " FROM " + stage + " s) x WHERE x." + quote("_lh_rn") + " = 1"));
        out.add(Sql.of("DELETE FROM " + last + " USING " + target + " WHERE " + keyMatch(model.key(), last, target)
                + " AND " + target + "." + quote(MetadataColumns.SEQ) + " >= " + last + "." + quote(LakeSchema.SEQ)));
        return out;
    }

    private List<Sql> scd1(Model model, String stage, String temp) {
        String target = tableOf(model);
        String last = quote(temp + "last");
        List<Sql> out = new ArrayList<>(lastChangePerKey(model, stage, last, target));
        if (!model.flagDeletes()) {
            out.add(Sql.of("DELETE FROM " + target + " USING " + last + " WHERE " + keyMatch(model.key(), target, last)
                    + " AND " + last + "." + quote(LakeSchema.OP) + " = 'd'"));
            out.add(Sql.of("DELETE FROM " + last + " WHERE " + quote(LakeSchema.OP) + " = 'd'"));
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (ModelColumn column : model.columns()) {
            values.put(quote(column.name()), "s." + quote(column.name()));
        }
        if (model.flagDeletes()) {
            values.put(quote(MetadataColumns.IS_DELETED), "CASE WHEN s." + quote(LakeSchema.OP) + " = 'd' THEN TRUE ELSE FALSE END");
        }
        values.put(quote(MetadataColumns.IS_INFERRED), "FALSE");
        values.put(quote(MetadataColumns.SEQ), "s." + quote(LakeSchema.SEQ));
        out.addAll(dialect.upsert(target, last, quoted(model.key()), values));
        out.add(Sql.of("DROP TABLE " + last));
        return out;
    }

    /**
     * Rebuilds the version history of every key the batch touches from the versions already there
     * and the new changes, in source order. Each existing version enters as the change that opened
     * it (with its surrogate key), the last change merged into it, and the delete that closed it.
     * A change opens a version when it follows nothing, a delete, or a change with other tracked
     * values; otherwise it merges into the open version in place. Versions keep their surrogate
     * key, an inferred member becomes the first version, and versions no longer opened by any
     * change (a late change with equal values took their place) are removed.
     */
    private List<Sql> scd2(Model model, String stage, String temp) {
        String target = tableOf(model);
        String events = quote(temp + "events");
        String grouped = quote(temp + "grouped");
        String groups = quote(temp + "groups");
        String versions = quote(temp + "versions");
        String rows = quote(temp + "rows");
        List<String> key = model.key();
        List<String> attributes = model.attributes().stream().map(ModelColumn::name).toList();
        List<String> untracked = attributes.stream().filter(a -> !model.tracked().contains(a)).toList();
        String sk = quote(model.surrogateKey());
        String touched = "EXISTS (SELECT 1 FROM " + stage + " s WHERE " + lakeKeyMatch(model, "s", "d") + ")";
        String all = model.columns().stream().map(c -> "d." + quote(c.name())).collect(Collectors.joining(", "));
        String op = quote("op");
        String ts = quote("ts");
        String seq = quote("seq");
        List<Sql> out = new ArrayList<>();
        for (String t : List.of(events, grouped, groups, versions, rows)) {
            out.add(Sql.of("DROP TABLE IF EXISTS " + t));
        }
        out.add(Sql.of("CREATE TEMP TABLE " + events + " AS"
                + " SELECT " + renamedColumns(model, "s") + ", s." + quote(LakeSchema.OP) + " AS " + op + ", s." + quote(LakeSchema.COMMIT_TS)
                + " AS " + ts + ", s." + quote(LakeSchema.SEQ) + " AS " + seq + ", CAST(NULL AS BIGINT) AS " + sk
                + " FROM " + stage + " s WHERE NOT EXISTS (SELECT 1 FROM " + target + " d WHERE " + lakeKeyMatch(model, "s", "d")
                + " AND s." + quote(LakeSchema.SEQ) + " IN (d." + quote(MetadataColumns.SEQ) + ", d." + quote(MetadataColumns.LAST_SEQ)
                + ", d." + quote(MetadataColumns.END_SEQ) + "))"
                + " UNION ALL SELECT " + all + ", CAST('u' AS VARCHAR(1)), d." + quote(MetadataColumns.VALID_FROM) + ", d." + quote(MetadataColumns.SEQ)
                + ", d." + sk + " FROM " + target + " d WHERE d." + quote(MetadataColumns.IS_INFERRED) + " = FALSE AND " + touched
                + " UNION ALL SELECT " + all + ", CAST('u' AS VARCHAR(1)), d." + quote(MetadataColumns.LAST_TS) + ", d." + quote(MetadataColumns.LAST_SEQ)
                + ", CAST(NULL AS BIGINT) FROM " + target + " d WHERE d." + quote(MetadataColumns.IS_INFERRED) + " = FALSE AND d."
                + quote(MetadataColumns.LAST_SEQ) + " > d." + quote(MetadataColumns.SEQ) + " AND " + touched
                + " UNION ALL SELECT " + all + ", CAST('d' AS VARCHAR(1)), d." + quote(MetadataColumns.VALID_TO) + ", d." + quote(MetadataColumns.END_SEQ)
                + ", CAST(NULL AS BIGINT) FROM " + target + " d WHERE d." + quote(MetadataColumns.END_SEQ) + " IS NOT NULL AND " + touched));

        String byKey = "PARTITION BY " + key.stream().map(k -> "e." + quote(k)).collect(Collectors.joining(", ")) + " ORDER BY e." + seq;
        StringBuilder previous = new StringBuilder("LAG(e." + op + ") OVER (" + byKey + ") AS " + quote("_lh_prev_op"));
        StringBuilder changed = new StringBuilder();
        for (int i = 0; i < model.tracked().size(); i++) {
            String column = quote(model.tracked().get(i));
            String prev = quote("_lh_prev_" + i);
            previous.append(", LAG(e.").append(column).append(") OVER (").append(byKey).append(") AS ").append(prev);
            changed.append(" OR ").append(distinct("p." + prev, "p." + column));
        }
        String byKeyP = "PARTITION BY " + key.stream().map(k -> "o." + quote(k)).collect(Collectors.joining(", ")) + " ORDER BY o." + seq;
        out.add(Sql.of("CREATE TEMP TABLE " + grouped + " AS SELECT o.*, SUM(o." + quote("_lh_opens") + ") OVER (" + byKeyP
                + " ROWS UNBOUNDED PRECEDING) AS " + quote("grp") + " FROM (SELECT p.*, CASE WHEN p." + op + " = 'd' THEN 0"
                + " WHEN p." + quote("_lh_prev_op") + " IS NULL OR p." + quote("_lh_prev_op") + " = 'd'" + changed + " THEN 1 ELSE 0 END AS "
                + quote("_lh_opens") + " FROM (SELECT e.*, " + previous + " FROM " + events + " e) p) o"));

        String keyList = key.stream().map(k -> "g." + quote(k)).collect(Collectors.joining(", "));
        out.add(Sql.of("CREATE TEMP TABLE " + groups + " AS SELECT " + keyList + ", g." + quote("grp")
                + ", MIN(CASE WHEN g." + op + " <> 'd' THEN g." + seq + " END) AS " + quote("open_seq")
                + ", MAX(CASE WHEN g." + op + " <> 'd' THEN g." + seq + " END) AS " + quote("last_seq")
                + ", MIN(CASE WHEN g." + op + " = 'd' THEN g." + seq + " END) AS " + quote("end_seq")
                + ", MIN(g." + sk + ") AS " + sk
                + " FROM " + grouped + " g WHERE g." + quote("grp") + " > 0 GROUP BY " + keyList + ", g." + quote("grp")));

        String byKeyA = "PARTITION BY " + key.stream().map(k -> "a." + quote(k)).collect(Collectors.joining(", ")) + " ORDER BY a." + quote("open_seq");
        String versionColumns = key.stream().map(k -> "a." + quote(k)).collect(Collectors.joining(", "))
                + prefixed(model.tracked(), "o") + prefixed(untracked, "l");
        out.add(Sql.of("CREATE TEMP TABLE " + versions + " AS SELECT " + versionColumns
                + ", a." + sk + ", o." + ts + " AS " + quote("opened_at") + ", c." + ts + " AS " + quote("closed_at")
                + ", l." + ts + " AS " + quote("last_at") + ", a." + quote("open_seq") + ", a." + quote("last_seq") + ", a." + quote("end_seq")
                + ", ROW_NUMBER() OVER (" + byKeyA + ") AS " + quote("version")
                + ", LEAD(o." + ts + ") OVER (" + byKeyA + ") AS " + quote("next_opened_at")
                + " FROM " + groups + " a JOIN " + grouped + " o ON " + keyMatch(key, "o", "a") + " AND o." + seq + " = a." + quote("open_seq")
                + " JOIN " + grouped + " l ON " + keyMatch(key, "l", "a") + " AND l." + seq + " = a." + quote("last_seq")
                + " LEFT JOIN " + grouped + " c ON " + keyMatch(key, "c", "a") + " AND c." + seq + " = a." + quote("end_seq")));

        String isFirstOfInferred = "v." + quote("version") + " = 1 AND i." + sk + " IS NOT NULL";
        out.add(Sql.of("CREATE TEMP TABLE " + rows + " AS SELECT "
                + model.columns().stream().map(c -> "v." + quote(c.name())).collect(Collectors.joining(", "))
                + ", COALESCE(v." + sk + ", CASE WHEN v." + quote("version") + " = 1 THEN i." + sk + " END) AS " + sk
                + ", CASE WHEN " + isFirstOfInferred + " THEN i." + quote(MetadataColumns.VALID_FROM) + " ELSE v." + quote("opened_at")
                + " END AS " + quote(MetadataColumns.VALID_FROM)
                + ", COALESCE(v." + quote("closed_at") + ", v." + quote("next_opened_at") + ") AS " + quote(MetadataColumns.VALID_TO)
                + ", CASE WHEN v." + quote("end_seq") + " IS NULL AND v." + quote("next_opened_at") + " IS NULL THEN TRUE ELSE FALSE END AS "
                + quote(MetadataColumns.IS_CURRENT)
                + ", CAST(v." + quote("version") + " AS INTEGER) AS " + quote(MetadataColumns.VERSION)
                + ", v." + quote("open_seq") + " AS " + quote(MetadataColumns.SEQ)
                + ", v." + quote("last_seq") + " AS " + quote(MetadataColumns.LAST_SEQ)
                + ", v." + quote("last_at") + " AS " + quote(MetadataColumns.LAST_TS)
                + ", v." + quote("end_seq") + " AS " + quote(MetadataColumns.END_SEQ)
                + " FROM " + versions + " v LEFT JOIN " + target + " i ON " + keyMatch(key, "i", "v") + " AND i."
                + quote(MetadataColumns.IS_INFERRED) + " = TRUE"));

        out.add(Sql.of("DELETE FROM " + target + " WHERE " + target + "." + quote(MetadataColumns.IS_INFERRED) + " = FALSE"
                + " AND EXISTS (SELECT 1 FROM " + stage + " s WHERE " + lakeKeyMatch(model, "s", target) + ")"
                + " AND NOT EXISTS (SELECT 1 FROM " + rows + " r WHERE r." + sk + " = " + target + "." + sk + ")"));
        Map<String, String> values = new LinkedHashMap<>();
        for (ModelColumn column : model.columns()) {
            values.put(quote(column.name()), "s." + quote(column.name()));
        }
        for (String column : List.of(MetadataColumns.VALID_FROM, MetadataColumns.VALID_TO, MetadataColumns.IS_CURRENT, MetadataColumns.VERSION,
                MetadataColumns.SEQ, MetadataColumns.LAST_SEQ, MetadataColumns.LAST_TS, MetadataColumns.END_SEQ)) {
            values.put(quote(column), "s." + quote(column));
        }
        values.put(quote(MetadataColumns.IS_INFERRED), "FALSE");
        out.addAll(dialect.upsertBySurrogateKey(target, rows, sk, values));
        for (String t : List.of(events, grouped, groups, versions, rows)) {
            out.add(Sql.of("DROP TABLE " + t));
        }
        return out;
    }

    /**
     * Facts: the last change per row key; deletes delete. Each dimension reference gets an
     * inferred member for a natural key the dimension lacks, then resolves to the version valid
     * at the fact's time (else the latest version before it, else the first one).
     */
    private List<Sql> fact(Model model, String stage, String temp) {
        String target = tableOf(model);
        String last = quote(temp + "last");
        String prepared = quote(temp + "prepared");
        List<Sql> out = new ArrayList<>(lastChangePerKey(model, stage, last, target));
        out.add(Sql.of("DELETE FROM " + target + " USING " + last + " WHERE " + keyMatch(model.key(), target, last)
                + " AND " + last + "." + quote(LakeSchema.OP) + " = 'd'"));
        out.add(Sql.of("DELETE FROM " + last + " WHERE " + quote(LakeSchema.OP) + " = 'd'"));
        StringBuilder joins = new StringBuilder();
        StringBuilder keys = new StringBuilder();
        List<String> resolvedTables = new ArrayList<>();
        for (int i = 0; i < model.dimensions().size(); i++) {
            DimensionRef ref = model.dimensions().get(i);
            Model dim = models.get(ref.model());
            String dimTable = tableOf(dim);
            String resolved = quote(temp + "dim" + i);
            resolvedTables.add(resolved);
            out.addAll(inferMembers(dim, ref, last));
            String refMatch = refMatch(dim, ref, "d", "l");
            String time = "l." + quote(model.timeColumn());
            String order;
            if (dim.kind() == ModelKind.SCD2_DIMENSION) {
                String from = "d." + quote(MetadataColumns.VALID_FROM);
                String to = "d." + quote(MetadataColumns.VALID_TO);
                String version = "d." + quote(MetadataColumns.VERSION);
                String rank = "CASE WHEN " + time + " >= " + from + " AND (" + to + " IS NULL OR " + time + " < " + to + ") THEN 0"
                        + " WHEN " + time + " >= " + from + " THEN 1 ELSE 2 END";
                order = rank + ", CASE WHEN " + time + " >= " + from + " THEN -" + version + " ELSE " + version + " END";
            } else {
                order = "d." + quote(dim.surrogateKey());
            }
            String partition = model.key().stream().map(k -> "l." + quote(k)).collect(Collectors.joining(", "));
            out.add(Sql.of("DROP TABLE IF EXISTS " + resolved));
            out.add(Sql.of("CREATE TEMP TABLE " + resolved + " AS SELECT " + model.key().stream().map(k -> "x." + quote(k)).collect(Collectors.joining(", "))
                    + ", x." + quote("sk") + " FROM (SELECT " + partition + ", d." + quote(dim.surrogateKey()) + " AS " + quote("sk")
                    + ", ROW_NUMBER() OVER (PARTITION BY " + partition + " ORDER BY " + order + ") AS " + quote("_lh_rn")
                    + " FROM " + last + " l JOIN " + dimTable + " d ON " + refMatch + ") x WHERE x." + quote("_lh_rn") + " = 1"));
            String alias = "r" + i;
            joins.append(" LEFT JOIN ").append(resolved).append(" ").append(alias).append(" ON ").append(keyMatch(model.key(), alias, "l"));
            keys.append(", ").append(alias).append(".").append(quote("sk")).append(" AS ").append(quote(ref.as()));
        }
        out.add(Sql.of("DROP TABLE IF EXISTS " + prepared));
        out.add(Sql.of("CREATE TEMP TABLE " + prepared + " AS SELECT l.*" + keys + " FROM " + last + " l" + joins));
        Map<String, String> values = new LinkedHashMap<>();
        for (ModelColumn column : model.columns()) {
            values.put(quote(column.name()), "s." + quote(column.name()));
        }
        for (DimensionRef ref : model.dimensions()) {
            values.put(quote(ref.as()), "s." + quote(ref.as()));
        }
        values.put(quote(MetadataColumns.SEQ), "s." + quote(LakeSchema.SEQ));
        out.addAll(dialect.upsert(target, prepared, quoted(model.key()), values));
        for (String t : resolvedTables) {
            out.add(Sql.of("DROP TABLE " + t));
        }
        out.add(Sql.of("DROP TABLE " + prepared));
        out.add(Sql.of("DROP TABLE " + last));
        return out;
    }

    /** Placeholder rows, natural key only, for the keys a fact references that the dimension lacks. */
    private List<Sql> inferMembers(Model dim, DimensionRef ref, String last) {
        List<String> columns = new ArrayList<>(quoted(dim.key()));
        List<String> values = new ArrayList<>();
        for (String c : ref.columns()) {
            values.add("l." + quote(c));
        }
        columns.add(quote(MetadataColumns.IS_INFERRED));
        values.add("TRUE");
        if (dim.kind() == ModelKind.SCD2_DIMENSION) {
            columns.addAll(List.of(quote(MetadataColumns.VALID_FROM), quote(MetadataColumns.IS_CURRENT), quote(MetadataColumns.VERSION)));
            values.addAll(List.of(LOW_TIMESTAMP, "TRUE", "1"));
        } else if (dim.flagDeletes()) {
            columns.add(quote(MetadataColumns.IS_DELETED));
            values.add("FALSE");
        }
        String notNull = ref.columns().stream().map(c -> "l." + quote(c) + " IS NOT NULL").collect(Collectors.joining(" AND "));
        return List.of(Sql.of("INSERT INTO " + tableOf(dim) + " (" + String.join(", ", columns) + ") SELECT DISTINCT "
                + String.join(", ", values) + " FROM " + last + " l WHERE " + notNull
                + " AND NOT EXISTS (SELECT 1 FROM " + tableOf(dim) + " d WHERE " + refMatch(dim, ref, "d", "l") + ")"));
    }

    // ---------------------------------------------------------------- helpers

    private LogicalType lakeType(Model model, String lakeColumn) {
        RowType row = lakeTypes.get(model.lakeTable());
        return row.getTypeAt(row.getFieldIndex(lakeColumn));
    }

    /** {@code x."lake" AS "name", ...} for every column of the model. */
    private static String renamedColumns(Model model, String alias) {
        return model.columns().stream().map(c -> alias + "." + quote(c.lakeName()) + " AS " + quote(c.name()))
                .collect(Collectors.joining(", "));
    }

    private static String prefixed(List<String> columns, String alias) {
        return columns.stream().map(c -> ", " + alias + "." + quote(c)).collect(Collectors.joining());
    }

    /** Equal keys of two relations that both use the warehouse column names. */
    private static String keyMatch(List<String> key, String left, String right) {
        return key.stream().map(k -> left + "." + quote(k) + " = " + right + "." + quote(k)).collect(Collectors.joining(" AND "));
    }

    /** The staging table's (lake names) key equal to a model table's (warehouse names). */
    private static String lakeKeyMatch(Model model, String stage, String table) {
        return model.key().stream().map(k -> stage + "." + quote(model.requireColumn(k).lakeName()) + " = " + table + "." + quote(k))
                .collect(Collectors.joining(" AND "));
    }

    /** A dimension's natural key equal to the fact columns of a reference. */
    private static String refMatch(Model dim, DimensionRef ref, String dimAlias, String factAlias) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < dim.key().size(); i++) {
            parts.add(dimAlias + "." + quote(dim.key().get(i)) + " = " + factAlias + "." + quote(ref.columns().get(i)));
        }
        return String.join(" AND ", parts);
    }

    /** True when two values differ, nulls included; IS DISTINCT FROM is not Redshift's. */
    private static String distinct(String a, String b) {
        return "(" + a + " <> " + b + " OR (" + a + " IS NULL AND " + b + " IS NOT NULL) OR (" + a + " IS NOT NULL AND " + b + " IS NULL))";
    }

    private static List<String> quoted(List<String> names) {
        return names.stream().map(Identifiers::quote).toList();
    }
}
