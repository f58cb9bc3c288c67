package io.lakehousecdc.app;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;

/** Waiting for what a running pipeline makes true sooner or later, and reading rows to compare. */
final class Eventually {

    private Eventually() {}

    /**
     * Waits up to {@code timeout} for {@code condition}; an SQL error counts as not yet (the
     * warehouse feed creates its tables when it starts).
     *
     * @param failure what to report when the time is up
     */
    static void until(Duration timeout, Callable<Boolean> condition, Callable<String> failure) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        SQLException lastError = null;
        while (System.nanoTime() < deadline) {
            try {
                if (condition.call()) {
                    return;
                }
                lastError = null;
            } catch (SQLException e) {
                lastError = e;
            }
            Thread.sleep(500);
        }
        throw new TimeoutException(lastError != null ? "still failing: " + lastError.getMessage() : failure.call());
    }

    /** The rows {@code sql} returns, each as its values joined by {@code |}. */
    static List<String> rows(Connection connection, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    row.append(i > 1 ? "|" : "").append(rs.getString(i));
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }
}
