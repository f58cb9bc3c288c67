package io.lakehousecdc.source.postgres;

import io.lakehousecdc.core.SetupException;
import io.lakehousecdc.core.TableId;
import io.lakehousecdc.core.TimeZonePolicy;
import io.lakehousecdc.source.CapturedTable;
import io.lakehousecdc.source.TableNames;


import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks a PostgreSQL database before the job starts (reachable, credentials, logical decoding,
 * replication privilege, publication) and reads the columns and keys of the captured tables.
 * Every problem becomes a {@link SetupException} that says what to fix; things that only limit
 * what can be captured become warnings.
 */
final class PostgresCatalog {

    private final PostgresSourceSettings settings;

    PostgresCatalog(PostgresSourceSettings settings) {
        this.settings = settings;
    }

    /** What the database says about the captured tables, and where its WAL stood when asked. */
    record Inspection(List<CapturedTable> tables, long walPosition, List<String> warnings) {}

    /** @param keyOverrides per table, the columns that identify a row instead of its primary key */
    Inspection inspect(List<TableId> tableIds, Map<TableId, List<String>> keyOverrides, TimeZonePolicy zones) {
        try (Connection connection = connect()) {
            checkLogicalDecoding(connection);
            // Before the columns: a change of columns after this position is one the job must meet.
            long position = walPosition(connection);
            List<CapturedTable> tables = new ArrayList<>();
            List<String> warnings = new ArrayList<>();
            for (TableId id : tableIds) {
                tables.add(describe(connection, id, keyOverrides.getOrDefault(id, List.of()), zones, warnings));
            }
            ensurePublication(connection, tableIds);
            return new Inspection(tables, position, warnings);
        } catch (SQLException e) {
            throw new SetupException(settings.describe() + ": " + SetupException.firstLine(e) + "; check that the server is healthy", e);
        }
    }

    /** The tables of {@code schema} in the source's database, by name; partitions are left to their parent. */
    List<String> tableNames(String schema) {
        String sql = "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = ? AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY c.relname";
        try (Connection connection = connect()) {
            return TableNames.read(connection, sql, schema);
        } catch (SQLException e) {
            throw new SetupException(settings.describe() + ": " + SetupException.firstLine(e) + "; check that the server is healthy", e);
        }
    }

    private Connection connect() {
        Properties props = new Properties();
        props.setProperty("user", settings.common().username());
        props.setProperty("password", settings.common().password());
        try {
            return DriverManager.getConnection(settings.jdbcUrl(), props);
        } catch (SQLException e) {
            String state = e.getSQLState() == null ? "" : e.getSQLState();
            if (state.startsWith("28")) {
                throw new SetupException(settings.describe() + " refused user '" + settings.common().username()
                        + "' (" + SetupException.firstLine(e) + "): fix username/password of source " + settings.common().id()
                        + " or the server's pg_hba.conf", e);
            }
            if (state.equals("3D000")) {
                throw new SetupException(settings.describe() + " does not exist: create the database or fix 'database' of source "
                        + settings.common().id(), e);
            }
            if (state.startsWith("08")) {
                throw new SetupException("Cannot reach " + settings.describe() + " (" + SetupException.firstLine(e)
                        + "): start the server or fix hostname/port of source " + settings.common().id(), e);
            }
            throw new SetupException(settings.describe() + ": " + SetupException.firstLine(e), e);
        }
    }

    private void checkLogicalDecoding(Connection connection) throws SQLException {
        String walLevel = single(connection, "SHOW wal_level");
        if (!"logical".equals(walLevel)) {
            throw new SetupException(settings.describe() + " has wal_level=" + walLevel
                    + ": run ALTER SYSTEM SET wal_level = logical and restart it (scripts/local-services.sh does this locally)");
        }
        String replication = single(connection,
                "SELECT (rolreplication OR rolsuper)::text FROM pg_roles WHERE rolname = current_user");
        if (!"true".equals(replication)) {
            String user = settings.common().username();
            throw new SetupException("User '" + user + "' of " + settings.describe()
                    + " may not stream changes: run ALTER ROLE " + user + " REPLICATION");
        }
    }

    private CapturedTable describe(Connection connection, TableId id, List<String> keyOverride, TimeZonePolicy zones,
            List<String> warnings)
            throws SQLException {
        String qualified = id.sourceName();
        List<PostgresColumn> columns = columns(connection, id);
        if (columns.isEmpty()) {
            throw new SetupException("Table " + qualified + " does not exist in " + settings.describe()
                    + ": create it or fix the table name (schema.table)");
        }
        String regclass = quoted(id);
        if (!"true".equals(single(connection, "SELECT has_table_privilege('" + regclass.replace("'", "''") + "', 'SELECT')::text"))) {
            throw new SetupException("User '" + settings.common().username() + "' may not read " + qualified
                    + ": run GRANT SELECT ON " + regclass + " TO " + settings.common().username());
        }
        List<String> key = keyOverride.isEmpty() ? primaryKey(connection, regclass) : keyOverride;
        CapturedTable.checkKeyOverride(keyOverride, columns.stream().map(PostgresColumn::name).toList(), qualified);
        if (key.isEmpty()) {
            throw new SetupException("Table " + qualified + " of source " + settings.common().id()
                    + " has no primary key: add one, the processed zone upserts by key");
        }
        String identity = single(connection, "SELECT relreplident::text FROM pg_class WHERE oid = '"
                + regclass.replace("'", "''") + "'::regclass");
        if ("n".equals(identity)) {
            warnings.add("Table " + qualified + " has REPLICA IDENTITY NOTHING: its updates and deletes cannot be captured;"
                    + " run ALTER TABLE " + regclass + " REPLICA IDENTITY DEFAULT");
        } else if (!keyOverride.isEmpty() && !"f".equals(identity)) {
            warnings.add("Table " + qualified + " is keyed by " + String.join(", ", keyOverride) + " instead of its primary key:"
                    + " its deletes carry those columns only with ALTER TABLE " + regclass + " REPLICA IDENTITY FULL");
        }
        return CapturedTable.map(id, columns, PostgresColumn::name, key,
                (column, nullable) -> PostgresTypeMapping.map(column.withNullable(nullable), zones,
                        settings.common().outOfRangeDates()));
    }

    private static List<PostgresColumn> columns(Connection connection, TableId id) throws SQLException {
        // Domains resolve to their base type; arrays to their element type.
        String sql = "SELECT a.attname,"
                + " COALESCE(elem_base.typname, elem.typname, base.typname, t.typname),"
                + " t.typcategory = 'A' OR base.typcategory = 'A',"
                + " COALESCE(elem_base.typtype, elem.typtype, base.typtype, t.typtype) = 'e',"
                + " COALESCE(c.numeric_precision, 0), COALESCE(c.numeric_scale, 0), COALESCE(c.datetime_precision, 6),"
                + " NOT a.attnotnull"
                + " FROM pg_attribute a"
                + " JOIN pg_type t ON t.oid = a.atttypid"
                + " LEFT JOIN pg_type base ON t.typtype = 'd' AND base.oid = t.typbasetype"
                + " LEFT JOIN pg_type elem ON elem.oid = COALESCE(base.typelem, t.typelem) AND COALESCE(base.typelem, t.typelem) <> 0"
                + " LEFT JOIN pg_type elem_base ON elem.typtype = 'd' AND elem_base.oid = elem.typbasetype"
                + " JOIN information_schema.columns c ON c.table_schema = ? AND c.table_name = ? AND c.column_name = a.attname"
                + " WHERE a.attrelid = (SELECT oid FROM pg_class WHERE relname = ? AND relnamespace ="
                + " (SELECT oid FROM pg_namespace WHERE nspname = ?)) AND a.attnum > 0 AND NOT a.attisdropped"
                + " ORDER BY a.attnum";
        List<PostgresColumn> columns = new ArrayList<>();
        try (PreparedStatement st = connection.prepareStatement(sql)) {
            st.setString(1, id.schema());
            st.setString(2, id.table());
            st.setString(3, id.table());
            st.setString(4, id.schema());
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    columns.add(new PostgresColumn(rs.getString(1), rs.getString(2), rs.getBoolean(3), rs.getBoolean(4),
                            rs.getInt(5), rs.getInt(6), rs.getInt(7), rs.getBoolean(8)));
                }
            }
        }
        return columns;
    }

    private static List<String> primaryKey(Connection connection, String regclass) throws SQLException {
        String sql = "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)"
                + " WHERE i.indrelid = ?::regclass AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)";
        List<String> key = new ArrayList<>();
        try (PreparedStatement st = connection.prepareStatement(sql)) {
            st.setString(1, regclass);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    key.add(rs.getString(1));
                }
            }
        }
        return key;
    }

    /**
     * The publication that pgoutput streams must cover every captured table. Creates or extends
     * it when the user may (table owners may); otherwise says which SQL to run.
     */
    private void ensurePublication(Connection connection, List<TableId> tableIds) throws SQLException {
        String publication = settings.publication();
        boolean exists;
        Set<String> covered = new LinkedHashSet<>();
        try (PreparedStatement st = connection.prepareStatement("SELECT puballtables FROM pg_publication WHERE pubname = ?")) {
            st.setString(1, publication);
            try (ResultSet rs = st.executeQuery()) {
                exists = rs.next();
                if (exists && rs.getBoolean(1)) {
                    return;
                }
            }
        }
        try (PreparedStatement st = connection.prepareStatement(
                "SELECT schemaname || '.' || tablename FROM pg_publication_tables WHERE pubname = ?")) {
            st.setString(1, publication);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    covered.add(rs.getString(1));
                }
            }
        }
        List<TableId> missing = tableIds.stream().filter(t -> !covered.contains(t.sourceName())).toList();
        if (missing.isEmpty()) {
            return;
        }
        String tables = missing.stream().map(PostgresCatalog::quoted).collect(Collectors.joining(", "));
        String sql = exists
                ? "ALTER PUBLICATION " + publication + " ADD TABLE " + tables
                : "CREATE PUBLICATION " + publication + " FOR TABLE " + tables;
        try (Statement st = connection.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new SetupException("Publication " + publication + " of " + settings.describe() + " does not cover "
                    + missing.stream().map(TableId::sourceName).collect(Collectors.joining(", "))
                    + " and user '" + settings.common().username() + "' may not change it (" + SetupException.firstLine(e)
                    + "): run as the tables' owner: " + sql, e);
        }
    }

    /** The current end of the WAL, as a {@code _cdc_seq} value. */
    private static long walPosition(Connection connection) throws SQLException {
        return Long.parseLong(single(connection, "SELECT (pg_current_wal_lsn() - '0/0'::pg_lsn)::bigint::text"));
    }

    private static String quoted(TableId id) {
        return '"' + id.schema().replace("\"", "\"\"") + "\".\"" + id.table().replace("\"", "\"\"") + '"';
    }

    private static String single(Connection connection, String sql) throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
