package io.lakehousecdc.warehouse;

import io.lakehousecdc.core.LakeSchema;
import io.lakehousecdc.core.SetupException;
import io.lakehousecdc.warehouse.model.Model;
import io.lakehousecdc.warehouse.model.ModelKind;
import io.lakehousecdc.warehouse.model.ModelLoader;
import io.lakehousecdc.warehouse.postgres.PostgresStaging;
import io.lakehousecdc.warehouse.redshift.RedshiftConnections;
import io.lakehousecdc.warehouse.sql.Identifiers;
import io.lakehousecdc.warehouse.sql.ModelStatements;
import io.lakehousecdc.warehouse.sql.Sql;
import io.lakehousecdc.warehouse.sql.StagedRows;
import io.lakehousecdc.warehouse.sql.WarehouseConnection;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.types.logical.BigIntType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeRoot;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.TimestampType;
import org.apache.flink.table.types.logical.VarCharType;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Feeds lake changes to the warehouse models. Each batch (one lake commit of one lake table) is
 * applied to every model the table feeds, together with the reports that read those models, in
 * one warehouse transaction that also records the instant in {@code lakehouse_feed_state}; a
 * model that has the instant already skips it, so a batch delivered again after a restart
 * changes nothing. One feed per warehouse schema writes at a time.
 */
public final class WarehouseFeed implements AutoCloseable {

    private static final String STAGE = "_lh_stage";
    /** How long a table may see only commits without changes before the feed records that it is past them. */
    static final Duration IDLE_RECORD_INTERVAL = Duration.ofMinutes(5);

    private final List<Model> models;
    private final Map<String, List<Model>> byLakeTable = new LinkedHashMap<>();
    private final Map<String, RowType> lakeTypes;
    private final WarehouseConnection connection;
    private final ModelStatements statements;
    /**
     * Per lake table, the newest instant known to bring nothing after what is applied. Kept in
     * memory only: after a restart those commits are read again, which costs a look, not a change.
     */
    private final Map<String, String> emptyUpTo = new HashMap<>();

    private WarehouseFeed(List<Model> models, WarehouseConnection connection, String schema, Map<String, RowType> lakeTypes) {
        this.models = models;
        this.lakeTypes = lakeTypes;
        this.connection = connection;
        Map<String, Model> byName = new LinkedHashMap<>();
        models.forEach(m -> byName.put(m.name(), m));
        this.statements = new ModelStatements(connection.dialect(), schema, byName, lakeTypes);
        for (Model model : models) {
            if (model.lakeTable() != null) {
                byLakeTable.computeIfAbsent(model.lakeTable(), t -> new ArrayList<>()).add(model);
            }
        }
    }

    /**
     * Loads the models of {@code warehouse.models}, checks them against the lake tables, connects
     * to the warehouse and creates what is missing there.
     *
     * @param lakeTypes the row type of every captured lake table, by lake name
     */
    public static WarehouseFeed open(Configuration config, Map<String, RowType> lakeTypes) {
        String dir = config.get(WarehouseOptions.MODELS);
        if (dir == null) {
            throw new SetupException("warehouse.models is not set: point it at the directory of the model YAML files");
        }
        List<Model> models = ModelLoader.load(Path.of(dir));
        String schema = schema(config);
        WarehouseConnection connection = connect(config);
        return create(models, connection, schema, lakeTypes);
    }

    /** Connects to the warehouse of {@code warehouse.dialect}. */
    private static WarehouseConnection connect(Configuration config) {
        String dialect = config.get(WarehouseOptions.DIALECT);
        return switch (dialect) {
            case "postgres" -> {
                String url = config.get(WarehouseOptions.JDBC_URL);
                if (url == null || !url.startsWith("jdbc:postgresql:")) {
                    throw new SetupException("warehouse.jdbc-url is " + (url == null ? "not set" : "'" + url + "'")
                            + ": the postgres dialect needs jdbc:postgresql://host:port/database");
                }
                yield PostgresStaging.connect(url, config.get(WarehouseOptions.USERNAME), config.get(WarehouseOptions.PASSWORD));
            }
            case "redshift" -> RedshiftConnections.open(config);
            default -> throw new SetupException("warehouse.dialect '" + dialect + "' is unknown: use postgres or redshift");
        };
    }

    /** A model's place in the lake: the last instant of its lake table applied to it, and when. */
    public record Position(String model, String lakeTable, String lastInstant, String appliedAt) {}

    /**
     * Where each model stands, from the warehouse's {@code lakehouse_feed_state}; empty when the
     * feed has not run there yet. Creates nothing.
     */
    public static List<Position> positions(Configuration config) {
        String schema = schema(config);
        try (WarehouseConnection connection = connect(config)) {
            if (!connection.tableExists(schema, ModelStatements.FEED_STATE_TABLE)) {
                return List.of();
            }
            ModelStatements statements = new ModelStatements(connection.dialect(), schema, Map.of(), Map.of());
            List<Position> positions = new ArrayList<>();
            for (List<String> row : connection.query(statements.positions())) {
                positions.add(new Position(row.get(0), row.get(1), row.get(2), row.get(3)));
            }
            return positions;
        }
    }

    /**
     * A feed over models already loaded and a connection already open; creates the schema, the
     * models' tables and the bookkeeping table where missing.
     */
    public static WarehouseFeed create(List<Model> models, WarehouseConnection connection, String schema, Map<String, RowType> lakeTypes) {
        try {
            checkAgainstLake(models, lakeTypes);
            WarehouseFeed feed = new WarehouseFeed(ModelLoader.validateTogether(models), connection, schema, lakeTypes);
            feed.createTables(schema);
            return feed;
        } catch (RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    private static String schema(Configuration config) {
        String schema = config.get(WarehouseOptions.SCHEMA);
        if (!schema.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new SetupException("warehouse.schema '" + schema + "' is not a lower-case SQL identifier: use letters, digits and underscores");
        }
        return schema;
    }

    private static void checkAgainstLake(List<Model> models, Map<String, RowType> lakeTypes) {
        for (Model model : models) {
            if (model.lakeTable() == null) {
                continue;
            }
            String where = "Model file " + model.origin() + ", model " + model.name() + ": ";
            RowType row = lakeTypes.get(model.lakeTable());
            if (row == null) {
                throw new SetupException(where + "lake table '" + model.lakeTable() + "' is not captured: capture it"
                        + " (lakehouse tables add) or fix lake-table; captured are " + String.join(", ", lakeTypes.keySet()));
            }
            for (String lake : ModelStatements.lakeColumns(model)) {
                if (row.getFieldIndex(lake) < 0) {
                    throw new SetupException(where + "'" + lake + "' is not a column of lake table " + model.lakeTable()
                            + ": use one of " + String.join(", ", row.getFieldNames()));
                }
            }
            if (model.kind() == ModelKind.FACT) {
                LogicalTypeRoot time = row.getTypeAt(row.getFieldIndex(model.requireColumn(model.timeColumn()).lakeName())).getTypeRoot();
                if (time != LogicalTypeRoot.TIMESTAMP_WITHOUT_TIME_ZONE && time != LogicalTypeRoot.DATE) {
                    throw new SetupException(where + "time column '" + model.timeColumn() + "' is " + time
                            + ": name a TIMESTAMP or DATE column, the time its dimension versions are looked up at");
                }
            }
        }
    }

    private void createTables(String schema) {
        List<Sql> ddl = new ArrayList<>();
        ddl.add(statements.createSchema());
        ddl.add(statements.createFeedState());
        for (Model model : models) {
            if (model.kind().isDimension()) {
                ddl.add(statements.createTable(model));
            }
        }
        for (Model model : models) {
            if (model.kind() == ModelKind.FACT) {
                ddl.add(statements.createTable(model));
            }
        }
        connection.execute(ddl);
        for (Model report : reportsInOrder(models.stream().filter(m -> m.kind() == ModelKind.REPORT).toList())) {
            if (!connection.tableExists(schema, report.table())) {
                // Filled at once: a report recreated after its query changed would otherwise stay
                // empty until a batch changes what it reads.
                connection.execute(List.of(statements.createReport(report)));
                connection.execute(List.of(statements.fill(report)));
            }
        }
    }

    /** The lake tables the models read. */
    public Set<String> lakeTables() {
        return byLakeTable.keySet();
    }

    /**
     * The instant up to which every model fed by {@code lakeTable} is applied: where reading
     * the lake resumes. Null when some model has none yet.
     */
    public String appliedUpTo(String lakeTable) {
        Map<String, String> applied = applied(lakeTable);
        String least = null;
        for (Model model : byLakeTable.getOrDefault(lakeTable, List.of())) {
            String instant = applied.get(model.name());
            if (instant == null) {
                return null;
            }
            least = least == null || ChangeBatch.isAfter(least, instant) ? instant : least;
        }
        return least;
    }

    /**
     * Brings every model up to the source's newest instant, table by table: a model without
     * history gets the table's whole history as one batch, then each instant after what the
     * table's models have is applied in order. Commits without changes (the lake commits on
     * every checkpoint) cost no transaction, but the position moves past them at least every
     * {@link #IDLE_RECORD_INTERVAL}, so that it never falls behind what the lake keeps.
     */
    public List<ApplyResult> catchUp(ChangeBatchSource source) {
        List<ApplyResult> results = new ArrayList<>();
        for (String lakeTable : lakeTables()) {
            Map<String, String> applied = applied(lakeTable);
            if (byLakeTable.get(lakeTable).stream().anyMatch(m -> !applied.containsKey(m.name()))) {
                source.readHistory(lakeTable).ifPresent(history -> results.add(apply(history, last -> last == null)));
            }
            String position = appliedUpTo(lakeTable);
            if (position == null) {
                continue;
            }
            String from = later(position, emptyUpTo.get(lakeTable));
            ChangeBatch idle = null;
            for (String instant : source.instantsAfter(lakeTable, from)) {
                ChangeBatch batch = source.read(lakeTable, instant);
                if (batch.rows().isEmpty()) {
                    idle = batch;
                    emptyUpTo.put(lakeTable, instant);
                } else {
                    results.add(apply(batch));
                    position = instant;
                    idle = null;
                }
            }
            if (idle != null && ChangeBatch.timeBetween(position, idle.instant()).compareTo(IDLE_RECORD_INTERVAL) >= 0) {
                results.add(apply(idle));
            }
        }
        return results;
    }

    private static String later(String a, String b) {
        return b == null || !ChangeBatch.isAfter(b, a) ? a : b;
    }

    /** Applies one batch to the models it feeds that do not have it yet, and refreshes their reports. */
    public ApplyResult apply(ChangeBatch batch) {
        return apply(batch, last -> last == null || ChangeBatch.isAfter(batch.instant(), last));
    }

    /**
     * Applies {@code batch} to the models it feeds whose last applied instant (null: none)
     * passes {@code isPending}, and refreshes the reports that read them, in one transaction.
     */
    private ApplyResult apply(ChangeBatch batch, Predicate<String> isPending) {
        List<Model> fed = byLakeTable.getOrDefault(batch.lakeTable(), List.of());
        Map<String, String> applied = applied(batch.lakeTable());
        List<Model> pending = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Model model : fed) {
            if (isPending.test(applied.get(model.name()))) {
                pending.add(model);
            } else {
                skipped.add(model.name());
            }
        }
        if (pending.isEmpty()) {
            return new ApplyResult(batch.lakeTable(), batch.instant(), List.of(), skipped, List.of());
        }
        List<Sql> sql = new ArrayList<>();
        for (int i = 0; i < pending.size(); i++) {
            Model model = pending.get(i);
            if (!batch.rows().isEmpty()) {
                sql.addAll(statements.apply(model, Identifiers.quote(STAGE), "_lh_" + i + "_"));
            }
            sql.addAll(statements.recordInstant(model, batch.lakeTable(), batch.instant(), batch.rows().size()));
        }
        List<Model> reports = batch.rows().isEmpty() ? List.of() : reportsReading(pending);
        for (Model report : reports) {
            sql.addAll(statements.refresh(report));
        }
        connection.applyAtomically(stage(batch, pending), sql);
        return new ApplyResult(batch.lakeTable(), batch.instant(), pending.stream().map(Model::name).toList(), skipped,
                reports.stream().map(Model::name).toList());
    }

    private Map<String, String> applied(String lakeTable) {
        Map<String, String> applied = new HashMap<>();
        for (List<String> row : connection.query(statements.appliedInstants(lakeTable))) {
            applied.put(row.get(0), row.get(1));
        }
        return applied;
    }

    /** The batch's rows, with the lake columns the pending models read, in the lake's column order. */
    private StagedRows stage(ChangeBatch batch, List<Model> pending) {
        RowType row = lakeTypes.get(batch.lakeTable());
        Set<String> needed = new LinkedHashSet<>();
        pending.forEach(m -> needed.addAll(ModelStatements.lakeColumns(m)));
        List<String> columns = new ArrayList<>();
        List<LogicalType> types = new ArrayList<>();
        for (RowType.RowField field : row.getFields()) {
            if (needed.contains(field.getName())) {
                columns.add(field.getName());
                types.add(field.getType());
            }
        }
        int sourceColumns = columns.size();
        columns.addAll(List.of(LakeSchema.OP, LakeSchema.COMMIT_TS, LakeSchema.SEQ));
        types.addAll(List.of(new VarCharType(1), new TimestampType(3), new BigIntType()));
        List<Object[]> rows = new ArrayList<>(batch.rows().size());
        for (ChangeRow change : batch.rows()) {
            Object[] values = new Object[columns.size()];
            for (int i = 0; i < sourceColumns; i++) {
                values[i] = change.values().get(columns.get(i));
            }
            values[sourceColumns] = change.opCode();
            values[sourceColumns + 1] = change.commitTime();
            values[sourceColumns + 2] = change.seq();
            rows.add(values);
        }
        return new StagedRows(STAGE, columns, types, rows);
    }

    /** The reports that read any of {@code changed}, directly or through other reports, inputs first. */
    private List<Model> reportsReading(List<Model> changed) {
        Set<String> touched = new LinkedHashSet<>();
        changed.forEach(m -> touched.add(m.name()));
        List<Model> reports = new ArrayList<>();
        boolean grew = true;
        while (grew) {
            grew = false;
            for (Model model : models) {
                if (model.kind() == ModelKind.REPORT && !touched.contains(model.name())
                        && model.inputs().stream().anyMatch(touched::contains)) {
                    touched.add(model.name());
                    reports.add(model);
                    grew = true;
                }
            }
        }
        return reportsInOrder(reports);
    }

    /** Reports ordered so that each comes after the reports it reads. */
    private static List<Model> reportsInOrder(List<Model> reports) {
        List<Model> ordered = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        reports.forEach(r -> names.add(r.name()));
        while (ordered.size() < reports.size()) {
            for (Model report : reports) {
                if (!ordered.contains(report) && report.inputs().stream()
                        .noneMatch(i -> names.contains(i) && ordered.stream().noneMatch(o -> o.name().equals(i)))) {
                    ordered.add(report);
                }
            }
        }
        return ordered;
    }

    @Override
    public void close() {
        connection.close();
    }
}
