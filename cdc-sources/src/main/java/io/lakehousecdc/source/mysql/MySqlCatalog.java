package io.lakehousecdc.source.mysql;

import io.lakehousecdc.source.CapturedTable;
import io.lakehousecdc.source.TableNames;

import io.lakehousecdc.core.SetupException;
import io.lakehousecdc.core.TableId;
import io.lakehousecdc.core.TimeZonePolicy;


import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Checks a MySQL server before the job starts (reachable, credentials, binlog settings) and
 * reads the columns and keys of the captured tables from {@code information_schema}.
 * Every problem becomes a {@link SetupException} that says what to fix.
 */
final class MySqlCatalog {

    private final MySqlSourceSettings settings;

    MySqlCatalog(MySqlSourceSettings settings) {
        this.settings = settings;
    }

    /** What the server says about the captured tables, and where its binlog stood when asked. */
    record Inspection(List<CapturedTable> tables, long binlogPosition) {}

    /** @param keyOverrides per table, the columns that identify a row instead of its primary key */
    Inspection inspect(List<TableId> tableIds, Map<TableId, List<String>> keyOverrides, TimeZonePolicy zones) {
        try (Connection connection = connect()) {
            checkBinlog(connection);
            // Before the columns: a change of columns after this position is one the job must meet.
            long position = binlogPosition(connection);
            List<CapturedTable> tables = new ArrayList<>();
            for (TableId id : tableIds) {
                tables.add(describe(connection, id, keyOverrides.getOrDefault(id, List.of()), zones));
            }
            return new Inspection(tables, position);
        } catch (SQLException e) {
            throw new SetupException(settings.common().describe() + ": " + SetupException.firstLine(e) + "; check that the server is healthy", e);
        }
    }

    /** The base tables of {@code database}, by name. */
    List<String> tableNames(String database) {
        String sql = "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE'"
                + " ORDER BY TABLE_NAME";
        try (Connection connection = connect()) {
            return TableNames.read(connection, sql, database);
        } catch (SQLException e) {
            throw new SetupException(settings.common().describe() + ": " + SetupException.firstLine(e) + "; check that the server is healthy", e);
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
            if (e.getErrorCode() == 1045 || state.startsWith("28")) {
                throw new SetupException(settings.common().describe() + " refused user '" + settings.common().username()
                        + "' (access denied): fix username/password of source " + settings.common().id(), e);
            }
            if (state.startsWith("08")) {
                throw new SetupException("Cannot reach " + settings.common().describe() + " (" + rootMessage(e)
                        + "): start the server or fix hostname/port of source " + settings.common().id(), e);
            }
            throw new SetupException(settings.common().describe() + ": " + SetupException.firstLine(e), e);
        }
    }

    private void checkBinlog(Connection connection) throws SQLException {
        String logBin = variable(connection, "log_bin");
        String format = variable(connection, "binlog_format");
        String rowImage = variable(connection, "binlog_row_image");
        boolean on = "ON".equalsIgnoreCase(logBin) || "1".equals(logBin);
        if (!on || !"ROW".equalsIgnoreCase(format) || !"FULL".equalsIgnoreCase(rowImage)) {
            throw new SetupException(settings.common().describe() + " has binlog " + (on ? "on" : "off") + ", format "
                    + format + ", row image " + rowImage
                    + ": set log_bin=ON, binlog_format=ROW, binlog_row_image=FULL and restart it"
                    + " (scripts/local-services.sh does this for a local server)");
        }
    }

    /** The current end of the binlog, encoded as a {@code _cdc_seq} value. */
    private long binlogPosition(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("SHOW MASTER STATUS")) {
            if (!rs.next()) {
                throw new SetupException(settings.common().describe() + " reports no binlog position (SHOW MASTER STATUS is empty)"
                        + ": enable log_bin and grant REPLICATION CLIENT to user '" + settings.common().username() + "'");
            }
            return BinlogPositions.encode(rs.getString(1), rs.getLong(2), 0);
        }
    }

    private static String variable(Connection connection, String name) throws SQLException {
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery("SHOW GLOBAL VARIABLES LIKE '" + name + "'")) {
            return rs.next() ? rs.getString(2) : null;
        }
    }

    private CapturedTable describe(Connection connection, TableId id, List<String> keyOverride, TimeZonePolicy zones)
            throws SQLException {
        String database = id.database();
        String table = id.table();
        String qualified = id.sourceName();

        List<MySqlColumn> columns = columns(connection, database, table);
        if (columns.isEmpty()) {
            throw new SetupException("Table " + qualified + " does not exist in " + settings.common().describe()
                    + " (or user '" + settings.common().username() + "' cannot read it): create it, grant SELECT, or fix the table name");
        }
        List<String> key = keyOverride.isEmpty() ? primaryKey(connection, database, table) : keyOverride;
        CapturedTable.checkKeyOverride(keyOverride, columns.stream().map(MySqlColumn::name).toList(), qualified);
        if (key.isEmpty()) {
            throw new SetupException("Table " + qualified + " of source " + settings.common().id()
                    + " has no primary key: add one, the processed zone upserts by key");
        }
        return CapturedTable.map(id, columns, MySqlColumn::name, key,
                (column, nullable) -> MySqlTypeMapping.map(column.withNullable(nullable), zones,
                        settings.common().outOfRangeDates()));
    }

    private static List<MySqlColumn> columns(Connection connection, String database, String table) throws SQLException {
        String sql = "SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, COALESCE(NUMERIC_PRECISION, CHARACTER_MAXIMUM_LENGTH, 0),"
                + " COALESCE(NUMERIC_SCALE, 0), COALESCE(DATETIME_PRECISION, 0), IS_NULLABLE"
                + " FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION";
        List<MySqlColumn> columns = new ArrayList<>();
        try (PreparedStatement st = connection.prepareStatement(sql)) {
            st.setString(1, database);
            st.setString(2, table);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    String dataType = rs.getString(2).toLowerCase(Locale.ROOT);
                    long precision = rs.getLong(4);
                    if (dataType.equals("bit")) {
                        // information_schema gives BIT(n) its width as NUMERIC_PRECISION.
                        precision = Math.max(precision, 1);
                    }
                    columns.add(new MySqlColumn(rs.getString(1), dataType, rs.getString(3), precision,
                            rs.getInt(5), rs.getInt(6), "YES".equals(rs.getString(7))));
                }
            }
        }
        return columns;
    }

    private static List<String> primaryKey(Connection connection, String database, String table) throws SQLException {
        String sql = "SELECT COLUMN_NAME FROM information_schema.STATISTICS"
                + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND INDEX_NAME = 'PRIMARY' ORDER BY SEQ_IN_INDEX";
        List<String> key = new ArrayList<>();
        try (PreparedStatement st = connection.prepareStatement(sql)) {
            st.setString(1, database);
            st.setString(2, table);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    key.add(rs.getString(1));
                }
            }
        }
        return key;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return SetupException.firstLine(root);
    }
}
