package io.lakehousecdc.warehouse.postgres;

import io.lakehousecdc.warehouse.sql.Identifiers;
import io.lakehousecdc.warehouse.sql.JdbcConnection;
import io.lakehousecdc.warehouse.sql.StagedRows;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collections;

/** Stages a batch by batched inserts into a temporary table. */
public final class PostgresStaging implements JdbcConnection.Staging {

    private static final int INSERT_BATCH = 1000;
    private static final PostgresDialect DIALECT = new PostgresDialect();

    /** A connection to a PostgreSQL warehouse. */
    public static JdbcConnection connect(String jdbcUrl, String user, String password) {
        return JdbcConnection.open(jdbcUrl, user, password, DIALECT, new PostgresStaging());
    }

    @Override
    public void stage(Connection connection, StagedRows rows) throws SQLException {
        try (Statement create = connection.createStatement()) {
            create.execute(rows.createTable(DIALECT));
        }
        String placeholders = String.join(", ", Collections.nCopies(rows.columns().size(), "?"));
        try (PreparedStatement st = connection.prepareStatement("INSERT INTO " + Identifiers.quote(rows.table()) + " VALUES (" + placeholders + ")")) {
            int pending = 0;
            for (Object[] row : rows.rows()) {
                for (int i = 0; i < row.length; i++) {
                    // PgJDBC binds java.time types but not Instant; an instant is a timestamptz at UTC.
                    st.setObject(i + 1, row[i] instanceof Instant instant ? instant.atOffset(ZoneOffset.UTC) : row[i]);
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
}
