package io.lakehousecdc.app.control;

import io.lakehousecdc.app.config.LakehouseConfig;
import io.lakehousecdc.app.config.Setting;
import io.lakehousecdc.core.SetupException;
import io.lakehousecdc.lake.LakeOptions;
import io.lakehousecdc.source.SourceOptions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.flink.configuration.Configuration;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The control plane: which source tables the job captures and how, kept in a relational
 * database whose schema is migrated on open. Every change is validated up front, and written in
 * one transaction together with its audit row (who, what, the entry before and after).
 *
 * <pre>{@code
 * ControlPlane control = ControlPlane.open(config);
 * control.add("clinic", "clinic.consultations", Map.of("partition-by", "started_at"), "alice");
 * control.enabledTables();   // what the job captures, shaped like LakehouseConfig.tables()
 * }</pre>
 */
public final class ControlPlane {
    private static final String MIGRATIONS = "classpath:db/control-plane";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMNS = "source_id, source_table, table_type, partition_by, key_columns, index_type,"
            + " ordering_column, retention, raw_zone, enabled, hudi_options, updated_at";

    private final String url;
    private final String username;
    private final String password;
    private final LakehouseConfig config;

    private ControlPlane(String url, String username, String password, LakehouseConfig config) {
        this.url = url;
        this.username = username;
        this.password = password;
        this.config = config;
    }

    /** Whether the configuration names a control plane ({@code control-plane.jdbc-url}). */
    public static boolean configured(LakehouseConfig config) {
        return config.settings().containsKey("control-plane.jdbc-url");
    }

    /**
     * The tables of the lake as the configuration defines them: the control plane's when one is
     * configured (all, or only the enabled ones), else the config file's {@code tables:}.
     */
    public static List<Configuration> tablesOf(LakehouseConfig config, boolean enabledOnly) {
        if (!configured(config)) {
            return config.tables();
        }
        ControlPlane controlPlane = open(config);
        return enabledOnly ? controlPlane.enabledTables()
                : controlPlane.tables().stream().map(TableSettings::toConfiguration).toList();
    }

    /** Connects to the database of {@code control-plane.*} and brings its schema to the newest version. */
    public static ControlPlane open(LakehouseConfig config) {
        Map<String, Setting> settings = config.settings();
        Setting url = settings.get("control-plane.jdbc-url");
        if (url == null) {
            throw new SetupException("control-plane.jdbc-url is not set: add it under 'control-plane' in the config,"
                    + " e.g. jdbc:postgresql://127.0.0.1:5432/lakehouse_control");
        }
        String username = settings.containsKey("control-plane.username") ? settings.get("control-plane.username").value() : null;
        String password = settings.containsKey("control-plane.password") ? settings.get("control-plane.password").value() : null;
        migrate(url.value(), username, password, null);
        return new ControlPlane(url.value(), username, password, config);
    }

    /**
     * Applies the migrations up to {@code target} (a version such as "1"), or all when null.
     * A database already at a newer version than this build knows is left as it is.
     */
    static void migrate(String url, String username, String password, String target) {
        try {
            var flyway = Flyway.configure()
                    .dataSource(url, username, password)
                    .locations(MIGRATIONS)
                    .connectRetries(0);
            if (target != null) {
                flyway.target(target);
            }
            flyway.load().migrate();
        } catch (FlywayException e) {
            throw new SetupException("Cannot migrate the control plane at " + url + " (" + SetupException.firstLine(rootOf(e))
                    + "): check control-plane.jdbc-url, username and password, and that the database is up", e);
        }
    }

    private static Throwable rootOf(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root;
    }

    /** Every table, by source and name. */
    public List<TableSettings> tables() {
        return read(connection -> select(connection, "", List.of(), false));
    }

    /** One table. */
    public TableSettings table(String source, String table) {
        return read(connection -> existing(connection, source, table, false));
    }

    /**
     * The tables the job captures, each shaped like an entry of {@code LakehouseConfig.tables()}:
     * keys {@code source}, {@code table}, {@code type}, {@code partition-by}, {@code hudi.*} and
     * the control plane's own ({@code key-columns}, {@code index-type}, ...).
     */
    public List<Configuration> enabledTables() {
        return read(connection -> select(connection, " WHERE enabled", List.of(), false)).stream()
                .map(TableSettings::toConfiguration).toList();
    }

    /** The newest {@code limit} audit rows, newest first. */
    public List<AuditEntry> audit(int limit) {
        return read(connection -> {
            try (PreparedStatement st = connection.prepareStatement(
                    "SELECT id, actor, at, action, entity, before_json, after_json FROM audit_log ORDER BY id DESC LIMIT ?")) {
                st.setInt(1, limit);
                List<AuditEntry> entries = new ArrayList<>();
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        entries.add(new AuditEntry(rs.getLong(1), rs.getString(2), rs.getTimestamp(3).toInstant(), rs.getString(4),
                                rs.getString(5), fromJson(rs.getString(6)), fromJson(rs.getString(7))));
                    }
                }
                return entries;
            }
        });
    }

    /** Adds a table after checking it against its source. */
    public TableSettings add(String source, String table, Map<String, String> settings, String actor) {
        TableSettings added = TableSettings.defaults(source, table).with(settings);
        SourceCheck check = new SourceCheck(config);
        check.source(source);
        read(connection -> {
            if (find(connection, source, table).isPresent()) {
                throw new SetupException("Table " + table + " of source " + source
                        + " is already in the control plane: change it with 'lakehouse tables set'");
            }
            return null;
        });
        check.check(source, List.of(added));
        return write(connection -> insert(connection, added, actor));
    }

    /**
     * Adds every table that {@code rule} takes, skipping those already present, and keeps the
     * rule so that tables created later that match it are noticed ({@link #notOnboarded}). All
     * are checked against the source first; one that fails stops the whole onboarding.
     *
     * @return the tables added
     */
    public List<TableSettings> onboard(OnboardingRule rule, String actor) {
        List<TableSettings> chosen = notOnboarded(rule).stream()
                .map(table -> TableSettings.defaults(rule.source(), table).with(rule.settings())).toList();
        new SourceCheck(config).check(rule.source(), chosen);
        return write(connection -> {
            keep(connection, rule, actor);
            List<TableSettings> added = new ArrayList<>();
            for (TableSettings table : chosen) {
                added.add(insert(connection, table, actor));
            }
            return added;
        });
    }

    /** The whole-database onboardings made so far, oldest first. */
    public List<OnboardingRule> onboardingRules() {
        return read(connection -> {
            try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT source_id, database_name, include_regex, exclude_regex, settings FROM onboarding_rules ORDER BY id")) {
                List<OnboardingRule> rules = new ArrayList<>();
                while (rs.next()) {
                    rules.add(new OnboardingRule(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            fromJson(rs.getString(5))));
                }
                return rules;
            }
        });
    }

    /**
     * The tables at the source that {@code rule} takes but the control plane does not have
     * (enabled or not), as {@code database.table}.
     *
     * @throws SetupException when the source cannot be listed
     */
    public List<String> notOnboarded(OnboardingRule rule) {
        List<String> present = tables().stream().filter(t -> t.source().equals(rule.source())).map(TableSettings::table).toList();
        return new SourceCheck(config).tableNames(rule.source(), rule.database()).stream()
                .filter(qualified -> rule.takes(qualified.substring(rule.database().length() + 1)))
                .filter(qualified -> !present.contains(qualified))
                .toList();
    }

    /** Keeps {@code rule}; one already kept takes the settings of this onboarding. */
    private static void keep(Connection connection, OnboardingRule rule, String actor) throws SQLException {
        String entity = "database " + rule.source() + "/" + rule.database();
        Map<String, String> after = new LinkedHashMap<>();
        after.put("include", rule.include());
        if (rule.exclude() != null) {
            after.put("exclude", rule.exclude());
        }
        after.putAll(rule.settings());
        String same = " WHERE source_id = ? AND database_name = ? AND include_regex = ? AND "
                + (rule.exclude() == null ? "exclude_regex IS NULL" : "exclude_regex = ?");
        Optional<Map<String, String>> kept;
        try (PreparedStatement st = connection.prepareStatement("SELECT settings FROM onboarding_rules" + same)) {
            bindRule(st, rule, 1);
            try (ResultSet rs = st.executeQuery()) {
                kept = rs.next() ? Optional.of(fromJson(rs.getString(1))) : Optional.empty();
            }
        }
        if (kept.isEmpty()) {
            try (PreparedStatement st = connection.prepareStatement("INSERT INTO onboarding_rules"
                    + " (settings, created_by, source_id, database_name, include_regex, exclude_regex) VALUES (?, ?, ?, ?, ?, ?)")) {
                st.setString(1, toJson(rule.settings()));
                st.setString(2, actor);
                bindRule(st, rule, 3);
                if (rule.exclude() == null) {
                    st.setNull(6, Types.VARCHAR);
                }
                st.executeUpdate();
            }
            audit(connection, actor, "onboard", entity, null, after);
        } else if (!kept.get().equals(rule.settings())) {
            try (PreparedStatement st = connection.prepareStatement("UPDATE onboarding_rules SET settings = ?" + same)) {
                st.setString(1, toJson(rule.settings()));
                bindRule(st, rule, 2);
                st.executeUpdate();
            }
            Map<String, String> before = new LinkedHashMap<>(after);
            before.keySet().removeAll(rule.settings().keySet());
            before.putAll(kept.get());
            audit(connection, actor, "onboard", entity, before, after);
        }
    }

    /** Binds source, database, include and (when there is one) exclude from {@code first} on. */
    private static void bindRule(PreparedStatement st, OnboardingRule rule, int first) throws SQLException {
        st.setString(first, rule.source());
        st.setString(first + 1, rule.database());
        st.setString(first + 2, rule.include());
        if (rule.exclude() != null) {
            st.setString(first + 3, rule.exclude());
        }
    }

    /** Changes settings of a table; checks against the source again when a named column changes. */
    public TableSettings set(String source, String table, Map<String, String> changes, String actor) {
        TableSettings before = table(source, table);
        TableSettings after = before.with(changes);
        boolean columnsChanged = !after.keyColumns().equals(before.keyColumns())
                || !Objects.equals(after.partitionBy(), before.partitionBy())
                || !Objects.equals(after.orderingColumn(), before.orderingColumn());
        if (columnsChanged) {
            new SourceCheck(config).check(source, List.of(after));
        }
        return write(connection -> update(connection, source, table, current -> current.with(changes), "set", actor));
    }

    /** Starts or stops capturing a table. */
    public TableSettings setEnabled(String source, String table, boolean enabled, String actor) {
        return write(connection -> update(connection, source, table,
                current -> current.with(Map.of(TableSettings.ENABLED, String.valueOf(enabled))),
                enabled ? "enable" : "disable", actor));
    }

    /**
     * Brings the config file's {@code sources} and {@code tables} into the control plane, in one
     * transaction: new tables are checked against their source and added, existing ones changed
     * only in the settings the file gives differently, sources' settings (secrets left out)
     * refreshed. Settings the file does not mention are left as the control plane has them.
     */
    public ImportSummary importConfig(String actor) {
        Map<String, TableSettings> wanted = new LinkedHashMap<>();
        for (Configuration entry : config.tables()) {
            Map<String, String> values = new LinkedHashMap<>(entry.toMap());
            String source = values.remove(LakeOptions.SOURCE.key());
            String table = values.remove(LakeOptions.TABLE.key());
            wanted.put(source + "/" + table, TableSettings.defaults(source, table).with(values));
        }
        Map<String, Map<String, String>> fileValues = new LinkedHashMap<>();
        config.tables().forEach(entry -> fileValues.put(
                entry.get(LakeOptions.SOURCE) + "/" + entry.get(LakeOptions.TABLE), entry.toMap()));

        SourceCheck check = new SourceCheck(config);
        Map<String, TableSettings> present = new LinkedHashMap<>();
        tables().forEach(t -> present.put(t.source() + "/" + t.table(), t));
        Map<String, List<TableSettings>> newBySource = new LinkedHashMap<>();
        wanted.forEach((key, table) -> {
            if (!present.containsKey(key)) {
                newBySource.computeIfAbsent(table.source(), s -> new ArrayList<>()).add(table);
            }
        });
        newBySource.forEach(check::check);

        return write(connection -> {
            int sources = importSources(connection, actor);
            int added = 0;
            int changed = 0;
            for (Map.Entry<String, TableSettings> entry : wanted.entrySet()) {
                TableSettings table = entry.getValue();
                if (!present.containsKey(entry.getKey())) {
                    insert(connection, table, actor);
                    added++;
                    continue;
                }
                Map<String, String> differing = new LinkedHashMap<>();
                Map<String, String> stored = present.get(entry.getKey()).values();
                table.values().forEach((k, v) -> {
                    if (fileValues.get(entry.getKey()).containsKey(k) && !v.equals(stored.get(k))) {
                        differing.put(k, v);
                    }
                });
                if (!differing.isEmpty()) {
                    update(connection, table.source(), table.table(), current -> current.with(differing), "import", actor);
                    changed++;
                }
            }
            return new ImportSummary(sources, added, changed, wanted.size() - added - changed);
        });
    }

    /** A warehouse model as its file defines it. */
    public record ModelDefinition(String name, String kind, String definition) {}

    /**
     * Records the warehouse models the feed runs with, in one transaction: a new model or a
     * changed definition replaces what was there and is audited; unchanged ones stay as they are.
     *
     * @param kind fact, scd1, scd2 or report
     * @return how many were added or changed
     */
    public int recordModels(List<ModelDefinition> models, String actor) {
        return write(connection -> {
            int changed = 0;
            for (ModelDefinition model : models) {
                Map<String, String> before = null;
                try (PreparedStatement st = connection.prepareStatement(
                        "SELECT kind, definition FROM warehouse_models WHERE name = ?")) {
                    st.setString(1, model.name());
                    try (ResultSet rs = st.executeQuery()) {
                        if (rs.next()) {
                            before = Map.of("kind", rs.getString(1), "definition", rs.getString(2));
                        }
                    }
                }
                Map<String, String> after = Map.of("kind", model.kind(), "definition", model.definition());
                if (after.equals(before)) {
                    continue;
                }
                String sql = before == null
                        ? "INSERT INTO warehouse_models (kind, definition, name) VALUES (?, ?, ?)"
                        : "UPDATE warehouse_models SET kind = ?, definition = ?, updated_at = CURRENT_TIMESTAMP WHERE name = ?";
                try (PreparedStatement st = connection.prepareStatement(sql)) {
                    st.setString(1, model.kind());
                    st.setString(2, model.definition());
                    st.setString(3, model.name());
                    st.executeUpdate();
                }
                audit(connection, actor, before == null ? "add" : "set", "model " + model.name(), before, after);
                changed++;
            }
            return changed;
        });
    }

    /**
     * Records in the DDL history a change of a table's columns that the job met at the source,
     * at the source position of the first change with the new columns; audited. A change
     * already recorded at that position is not recorded again.
     *
     * @param statement what changed, such as {@code ADD COLUMN ward}
     */
    public void recordColumnChange(String source, String table, long position, String statement, String actor) {
        write(connection -> {
            long tableId;
            try (PreparedStatement st = connection.prepareStatement(
                    "SELECT id FROM captured_tables WHERE source_id = ? AND source_table = ?")) {
                st.setString(1, source);
                st.setString(2, table);
                try (ResultSet rs = st.executeQuery()) {
                    if (!rs.next()) {
                        return null; // captured through the config file only: nothing to attach the history to
                    }
                    tableId = rs.getLong(1);
                }
            }
            try (PreparedStatement st = connection.prepareStatement(
                    "SELECT 1 FROM ddl_history WHERE table_id = ? AND position = ? AND statement = ?")) {
                st.setLong(1, tableId);
                st.setLong(2, position);
                st.setString(3, statement);
                try (ResultSet rs = st.executeQuery()) {
                    if (rs.next()) {
                        return null;
                    }
                }
            }
            try (PreparedStatement st = connection.prepareStatement(
                    "INSERT INTO ddl_history (table_id, position, statement) VALUES (?, ?, ?)")) {
                st.setLong(1, tableId);
                st.setLong(2, position);
                st.setString(3, statement);
                st.executeUpdate();
            }
            audit(connection, actor, "ddl", "table " + source + "/" + table, null,
                    Map.of("position", String.valueOf(position), "statement", statement));
            return null;
        });
    }

    private int importSources(Connection connection, String actor) throws SQLException {
        int changed = 0;
        Map<String, Setting> settings = config.settings();
        for (Configuration source : config.sources()) {
            String id = source.get(SourceOptions.ID);
            Map<String, String> kept = new TreeMap<>();
            source.toMap().forEach((k, v) -> {
                Setting setting = settings.get("sources." + id + "." + k);
                if (!k.equals(SourceOptions.ID.key()) && setting != null && !setting.secret()) {
                    kept.put(k, v);
                }
            });
            Map<String, String> before = null;
            try (PreparedStatement st = connection.prepareStatement("SELECT settings FROM sources WHERE id = ? FOR UPDATE")) {
                st.setString(1, id);
                try (ResultSet rs = st.executeQuery()) {
                    if (rs.next()) {
                        before = new TreeMap<>(fromJson(rs.getString(1)));
                    }
                }
            }
            if (kept.equals(before)) {
                continue;
            }
            String sql = before == null
                    ? "INSERT INTO sources (type, settings, id) VALUES (?, ?, ?)"
                    : "UPDATE sources SET type = ?, settings = ?, updated_at = CURRENT_TIMESTAMP WHERE id = ?";
            try (PreparedStatement st = connection.prepareStatement(sql)) {
                st.setString(1, kept.getOrDefault(SourceOptions.TYPE.key(), ""));
                st.setString(2, toJson(kept));
                st.setString(3, id);
                st.executeUpdate();
            }
            audit(connection, actor, before == null ? "add" : "import", "source " + id, before, kept);
            changed++;
        }
        return changed;
    }

    private TableSettings insert(Connection connection, TableSettings table, String actor) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement("INSERT INTO captured_tables (table_type, partition_by,"
                + " key_columns, index_type, ordering_column, retention, raw_zone, enabled, hudi_options, source_id, source_table)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            bind(st, table);
            st.executeUpdate();
        }
        TableSettings stored = existing(connection, table.source(), table.table(), false);
        audit(connection, actor, "add", entity(table.source(), table.table()), null, stored.values());
        return stored;
    }

    private interface Change {
        TableSettings apply(TableSettings current);
    }

    private TableSettings update(Connection connection, String source, String table, Change change, String action, String actor)
            throws SQLException {
        TableSettings before = existing(connection, source, table, true);
        TableSettings after = change.apply(before);
        if (after.values().equals(before.values())) {
            return before;
        }
        try (PreparedStatement st = connection.prepareStatement("UPDATE captured_tables SET table_type = ?, partition_by = ?,"
                + " key_columns = ?, index_type = ?, ordering_column = ?, retention = ?, raw_zone = ?, enabled = ?,"
                + " hudi_options = ?, updated_at = CURRENT_TIMESTAMP WHERE source_id = ? AND source_table = ?")) {
            bind(st, after);
            st.executeUpdate();
        }
        TableSettings stored = existing(connection, source, table, false);
        audit(connection, actor, action, entity(source, table), before.values(), stored.values());
        return stored;
    }

    private static void bind(PreparedStatement st, TableSettings table) throws SQLException {
        st.setString(1, table.type().name());
        st.setString(2, table.partitionBy());
        st.setString(3, table.keyColumns().isEmpty() ? null : String.join(",", table.keyColumns()));
        st.setString(4, table.indexType());
        st.setString(5, table.orderingColumn());
        st.setString(6, table.retention());
        st.setBoolean(7, table.rawZone());
        st.setBoolean(8, table.enabled());
        st.setString(9, toJson(table.hudi()));
        st.setString(10, table.source());
        st.setString(11, table.table());
    }

    private static String entity(String source, String table) {
        return "table " + source + "/" + table;
    }

    private static void audit(Connection connection, String actor, String action, String entity,
            Map<String, String> before, Map<String, String> after) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement(
                "INSERT INTO audit_log (actor, action, entity, before_json, after_json) VALUES (?, ?, ?, ?, ?)")) {
            st.setString(1, actor);
            st.setString(2, action);
            st.setString(3, entity);
            st.setString(4, before == null ? null : toJson(before));
            st.setString(5, after == null ? null : toJson(after));
            st.executeUpdate();
        }
    }

    private static TableSettings existing(Connection connection, String source, String table, boolean lock) throws SQLException {
        List<TableSettings> found = select(connection, " WHERE source_id = ? AND source_table = ?", List.of(source, table), lock);
        if (found.isEmpty()) {
            throw new UnknownTableException(source, table);
        }
        return found.get(0);
    }

    private static Optional<TableSettings> find(Connection connection, String source, String table) throws SQLException {
        return select(connection, " WHERE source_id = ? AND source_table = ?", List.of(source, table), false).stream().findFirst();
    }

    private static List<TableSettings> select(Connection connection, String where, List<String> parameters, boolean lock)
            throws SQLException {
        String sql = "SELECT " + COLUMNS + " FROM captured_tables" + where + " ORDER BY source_id, source_table"
                + (lock ? " FOR UPDATE" : "");
        try (PreparedStatement st = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.size(); i++) {
                st.setString(i + 1, parameters.get(i));
            }
            List<TableSettings> tables = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    String keys = rs.getString(5);
                    Timestamp updated = rs.getTimestamp(12);
                    tables.add(new TableSettings(rs.getString(1), rs.getString(2), LakeOptions.TableType.valueOf(rs.getString(3)),
                            rs.getString(4), keys == null ? List.of() : List.of(keys.split(",")), rs.getString(6), rs.getString(7),
                            rs.getString(8), rs.getBoolean(9), rs.getBoolean(10), new TreeMap<>(fromJson(rs.getString(11))),
                            updated.toInstant()));
                }
            }
            return tables;
        }
    }

    private static String toJson(Map<String, String> values) {
        try {
            return JSON.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> fromJson(String json) {
        if (json == null) {
            return null;
        }
        try {
            return JSON.readValue(json, new TypeReference<LinkedHashMap<String, String>>() {});
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("The control plane holds malformed JSON: " + json, e);
        }
    }

    private interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private <T> T read(Work<T> work) {
        try (Connection connection = connect()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** Runs {@code work} in one transaction, rolled back on any failure. */
    private <T> T write(Work<T> work) {
        try (Connection connection = connect()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private Connection connect() throws SQLException {
        return database().connect();
    }

    /** The control plane's database, for what keeps its own tables there (the failed events). */
    public record Database(String url, String username, String password) implements Serializable {
        public Connection connect() throws SQLException {
            return DriverManager.getConnection(url, username, password);
        }
    }

    public Database database() {
        return new Database(url, username, password);
    }

    private SetupException failure(SQLException e) {
        if ("23505".equals(e.getSQLState())) {
            return new SetupException("Another change added the same entry first (" + SetupException.firstLine(e)
                    + "): look at it with 'lakehouse tables list' and change it with 'lakehouse tables set'", e);
        }
        return new SetupException("The control plane at " + url + " failed: " + SetupException.firstLine(e)
                + "; check that the database is up and the user may write to it", e);
    }

    /** A table the control plane does not hold. */
    public static final class UnknownTableException extends SetupException {
        private static final long serialVersionUID = 1L;

        UnknownTableException(String source, String table) {
            super("Table " + table + " of source " + source + " is not in the control plane: add it with 'lakehouse tables add'"
                    + " or check the names with 'lakehouse tables list'");
        }
    }
}
