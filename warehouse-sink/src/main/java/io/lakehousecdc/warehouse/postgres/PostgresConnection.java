package io.lakehousecdc.warehouse.postgres;

import io.lakehousecdc.core.SetupException;
import io.lakehousecdc.warehouse.sql.Identifiers;
import io.lakehousecdc.warehouse.sql.Sql;
import io.lakehousecdc.warehouse.sql.SqlDialect;
import io.lakehousecdc.warehouse.sql.StagedRows;
import io.lakehousecdc.warehouse.sql.WarehouseConnection;
import io.lakehousecdc.warehouse.sql.WarehouseException;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/** The warehouse on PostgreSQL: staging by batched inserts into a temporary table, one JDBC transaction per batch. */
public final class PostgresConnection implements WarehouseConnection {

    private static final int INSERT_BATCH = 1000;
    private static final PostgresDialect DIALECT = new PostgresDialect();

    private final Connection connection;

    private PostgresConnection(Connection connection) {
        this.connection = connection;
    }

    public static PostgresConnection open(String jdbcUrl, String user, String password) {
        Properties props = new Properties();
        if (user != null) {
            props.setProperty("user", user);
        }
        if (password != null) {
            props.setProperty("password", password);
        }
        // Rewritten into multi-row INSERTs: staging costs one round trip per thousand rows.
        props.setProperty("reWriteBatchedInserts", "true");
        try {
            return new PostgresConnection(DriverManager.getConnection(jdbcUrl, props));
        } catch (SQLException e) {
            throw new SetupException("Cannot connect to the warehouse at " + jdbcUrl + " (" + SetupException.firstLine(e)
                    + "): check warehouse.jdbc-url, warehouse.username and warehouse.password");
        }
    }

    @Override
    public SqlDialect dialect() {
        return DIALECT;
    }

    @Override
    public void execute(List<Sql> statements) {
        try {
            connection.setAutoCommit(true);
            for (Sql sql : statements) {
                run(sql);
            }
        } catch (SQLException e) {
            throw WarehouseException.of(e, null);
        }
    }

    @Override
    public List<List<String>> query(Sql query) {
        try (PreparedStatement st = prepare(query); ResultSet rs = st.executeQuery()) {
            List<List<String>> rows = new ArrayList<>();
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    row.add(rs.getString(i));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw WarehouseException.of(e, query.text());
        }
    }

    @Override
    public boolean tableExists(String schema, String table) {
        return !query(Sql.of("SELECT 1 FROM information_schema.tables WHERE table_schema = ? AND table_name = ?", schema, table)).isEmpty();
    }

    @Override
    public void applyAtomically(StagedRows rows, List<Sql> statements) {
        Sql current = null;
        try {
            connection.setAutoCommit(false);
            current = Sql.of(rows.createTable(DIALECT));
            run(current);
            stage(rows);
            for (Sql sql : statements) {
                current = sql;
                run(sql);
            }
            current = Sql.of("DROP TABLE " + Identifiers.quote(rows.table()));
            run(current);
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            try {
                connection.rollback();
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            throw e instanceof SQLException sql ? WarehouseException.of(sql, current == null ? null : current.text())
                    : (RuntimeException) e;
        } finally {
            try {
                connection.setAutoCommit(true);
            } catch (SQLException ignored) {
                // The connection is broken; the next use reports it.
            }
        }
    }

    private void stage(StagedRows rows) throws SQLException {
        String placeholders = String.join(", ", java.util.Collections.nCopies(rows.columns().size(), "?"));
        String insert = "INSERT INTO " + Identifiers.quote(rows.table()) + " VALUES (" + placeholders + ")";
        try (PreparedStatement st = connection.prepareStatement(insert)) {
            int pending = 0;
            for (Object[] row : rows.rows()) {
                for (int i = 0; i < row.length; i++) {
                    st.setObject(i + 1, jdbcValue(row[i]));
                }
                st.addBatch();
                if (++pending == INSERT_BATCH) {
                    st.executeBatch();
                    pending = 0;
                }
            }
            if (pending > 0) {
                st.executeBatch();
            }
        }
    }

    private static Object jdbcValue(Object value) {
        // PgJDBC binds java.time types but not Instant; an instant is a timestamptz at UTC.
        return value instanceof Instant instant ? instant.atOffset(ZoneOffset.UTC) : value;
    }

    private void run(Sql sql) throws SQLException {
        try (PreparedStatement st = prepare(sql)) {
            st.execute();
        }
    }

    private PreparedStatement prepare(Sql sql) throws SQLException {
        PreparedStatement st = connection.prepareStatement(sql.text());
        for (int i = 0; i < sql.params().size(); i++) {
            st.setObject(i + 1, jdbcValue(sql.params().get(i)));
        }
        return st;
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // Closing a broken connection: nothing left to release.
        }
    }
}
