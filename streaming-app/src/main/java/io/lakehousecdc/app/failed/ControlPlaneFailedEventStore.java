package io.lakehousecdc.app.failed;

import io.lakehousecdc.app.control.ControlPlane;
import io.lakehousecdc.core.SetupException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Failed events in the control plane's {@code failed_events} table: the store when a control plane is configured. */
final class ControlPlaneFailedEventStore implements FailedEventStore {

    private static final String COLUMNS = "event_id, source_id, lake_table, source_table, position, error, failed_at, payload,"
            + " attempts, reprocessed_at";

    private final ControlPlane.Database database;

    ControlPlaneFailedEventStore(ControlPlane.Database database) {
        this.database = database;
    }

    record Location(ControlPlane.Database database) implements FailedEventStore.Location {
        @Override
        public FailedEventStore open() {
            return new ControlPlaneFailedEventStore(database);
        }
    }

    @Override
    public void append(List<FailedEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        inTransaction(connection -> {
            // A change delivered again after a restart has the id it had; it is kept once.
            Set<String> kept = new HashSet<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT event_id FROM failed_events WHERE event_id = ?")) {
                for (FailedEvent event : events) {
                    select.setString(1, event.id());
                    try (ResultSet rs = select.executeQuery()) {
                        if (rs.next()) {
                            kept.add(event.id());
                        }
                    }
                }
            }
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO failed_events (" + COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, NULL)")) {
                for (FailedEvent event : events) {
                    if (kept.add(event.id())) {
                        insert.setString(1, event.id());
                        insert.setString(2, event.source());
                        insert.setString(3, event.table());
                        insert.setString(4, event.sourceTable());
                        insert.setLong(5, event.position());
                        insert.setString(6, event.error());
                        insert.setTimestamp(7, Timestamp.from(event.failedAt()));
                        insert.setString(8, event.payload());
                        insert.addBatch();
                    }
                }
                insert.executeBatch();
            }
        });
    }

    @Override
    public List<FailedEvent> list(String table, Instant since) {
        String sql = "SELECT " + COLUMNS + " FROM failed_events WHERE failed_at >= ?"
                + (table == null ? "" : " AND lake_table = ?") + " ORDER BY position, event_id";
        try (Connection connection = database.connect(); PreparedStatement select = connection.prepareStatement(sql)) {
            select.setTimestamp(1, Timestamp.from(since == null ? Instant.EPOCH : since));
            if (table != null) {
                select.setString(2, table);
            }
            List<FailedEvent> events = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    Timestamp reprocessed = rs.getTimestamp(10);
                    events.add(new FailedEvent(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5),
                            rs.getString(6), rs.getTimestamp(7).toInstant(), rs.getString(8), rs.getInt(9),
                            reprocessed == null ? null : reprocessed.toInstant()));
                }
            }
            return events;
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    @Override
    public void reprocessed(List<String> ids, Instant at) {
        inTransaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE failed_events SET reprocessed_at = ?, attempts = attempts + 1 WHERE event_id = ?")) {
                for (String id : ids) {
                    update.setTimestamp(1, Timestamp.from(at));
                    update.setString(2, id);
                    update.addBatch();
                }
                update.executeBatch();
            }
        });
    }

    @Override
    public void failedAgain(Map<String, String> errors, Instant at) {
        inTransaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE failed_events SET error = ?, attempts = attempts + 1 WHERE event_id = ?")) {
                for (Map.Entry<String, String> failure : errors.entrySet()) {
                    update.setString(1, failure.getValue());
                    update.setString(2, failure.getKey());
                    update.addBatch();
                }
                update.executeBatch();
            }
        });
    }

    @Override
    public void close() {}

    private interface Work {
        void run(Connection connection) throws SQLException;
    }

    private void inTransaction(Work work) {
        try (Connection connection = database.connect()) {
            connection.setAutoCommit(false);
            try {
                work.run(connection);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private IllegalStateException failure(SQLException e) {
        return new IllegalStateException("The failed events in the control plane at " + database.url() + " cannot be reached: "
                + SetupException.firstLine(e), e);
    }
}
