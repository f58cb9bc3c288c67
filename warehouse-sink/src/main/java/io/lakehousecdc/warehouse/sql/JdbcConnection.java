package io.lakehousecdc.warehouse.sql;

import io.lakehousecdc.core.SetupException;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/** The warehouse over JDBC: one transaction per batch; how rows are staged is the warehouse's own. */
public final class JdbcConnection implements WarehouseConnection {

    /** Fills a batch's staging table inside the batch's transaction. */
    public interface Staging {
        /** Creates and fills the temporary table {@code rows.table()}. */
        void stage(Connection connection, StagedRows rows) throws SQLException;

        /** Called once the batch's transaction has ended, committed or not. */
        default void finish() {}
    }

    private final Connection connection;
    private final SqlDialect dialect;
    private final Staging staging;

    private JdbcConnection(Connection connection, SqlDialect dialect, Staging staging) {
        this.connection = connection;
        this.dialect = dialect;
        this.staging = staging;
    }

    public static JdbcConnection open(String jdbcUrl, String user, String password, SqlDialect dialect, Staging staging) {
        Properties props = new Properties();
        if (user != null) {
            props.setProperty("user", user);
        }
        if (password != null) {
            props.setProperty("password", password);
        }
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            // Rewritten into multi-row INSERTs: staging costs one round trip per thousand rows.
            props.setProperty("reWriteBatchedInserts", "true");
        }
        try {
            return new JdbcConnection(DriverManager.getConnection(jdbcUrl, props), dialect, staging);
        } catch (SQLException e) {
            // Not a setup mistake as such: a warehouse that is down is retried by the feed.
            throw new WarehouseException("Cannot connect to the warehouse at " + jdbcUrl + " (" + SetupException.firstLine(e)
                    + "): check that it is up, and warehouse.jdbc-url, warehouse.username and warehouse.password", e);
        }
    }

    @Override
    public SqlDialect dialect() {
        return dialect;
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
            current = Sql.of("staging " + rows.rows().size() + " rows");
            staging.stage(connection, rows);
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
            staging.finish();
        }
    }

    private void run(Sql sql) throws SQLException {
        try (PreparedStatement st = prepare(sql)) {
            st.execute();
        }
    }

    private PreparedStatement prepare(Sql sql) throws SQLException {
        PreparedStatement st = connection.prepareStatement(sql.text());
        for (int i = 0; i < sql.params().size(); i++) {
            st.setObject(i + 1, sql.params().get(i));
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
