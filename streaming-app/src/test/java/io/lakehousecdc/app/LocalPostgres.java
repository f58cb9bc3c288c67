package io.lakehousecdc.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.Locale;
import java.util.UUID;

/**
 * The local PostgreSQL that scripts/local-services.sh prepares: a database of the test's own,
 * created by the admin user (who owns its tables and publication, as a DBA would), captured
 * through the CDC user, dropped afterwards together with the job's replication slot.
 */
public final class LocalPostgres implements AutoCloseable {
    static final String HOST = "127.0.0.1";
    static final int PORT = 5432;
    static final String CDC_USER = "lakehouse_cdc";
    static final String CDC_PASSWORD = env("LAKEHOUSE_CDC_PASSWORD", "lakehouse-cdc-local");
    private static final String ADMIN_USER = "lakehouse";
    private static final String ADMIN_PASSWORD = env("LAKEHOUSE_ADMIN_PASSWORD", "lakehouse-local");
    private static final String WAREHOUSE = "warehouse";

    public final String database;
    final String slot;
    private final Connection admin;

    private LocalPostgres(String database, Connection admin) {
        this.database = database;
        this.slot = database + "_slot";
        this.admin = admin;
    }

    public static LocalPostgres createDatabase(String prefix) throws SQLException {
        String name = (prefix + "_" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase(Locale.ROOT);
        try (Connection postgres = connect("postgres", ADMIN_USER, ADMIN_PASSWORD); Statement st = postgres.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        }
        return new LocalPostgres(name, connect(name, ADMIN_USER, ADMIN_PASSWORD));
    }

    /** The local warehouse database that scripts/local-services.sh creates, as the user that owns it. */
    static Connection connectWarehouse() throws SQLException {
        return connect(WAREHOUSE, ADMIN_USER, ADMIN_PASSWORD);
    }

    /** A {@code warehouse:} config section for {@code schema} of the local warehouse, fed by the models in {@code models}. */
    static String warehouseYaml(String schema, java.nio.file.Path models) {
        return """
                warehouse:
                  jdbc-url: jdbc:postgresql://%s:%d/%s
                  username: %s
                  password: %s
                  schema: %s
                  models: %s
                  poll-interval: 500ms
                """.formatted(HOST, PORT, WAREHOUSE, ADMIN_USER, ADMIN_PASSWORD, schema, models);
    }

    private static Connection connect(String database, String user, String password) throws SQLException {
        try {
            return DriverManager.getConnection("jdbc:postgresql://" + HOST + ":" + PORT + "/" + database, user, password);
        } catch (SQLException e) {
            throw new SQLException("The local PostgreSQL is not ready for the tests (" + e.getMessage()
                    + "): run sudo scripts/local-services.sh", e);
        }
    }

    public void execute(String... statements) throws SQLException {
        try (Statement st = admin.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        }
    }

    public Connection connection() {
        return admin;
    }

    /** The database's URL, for the admin user that owns it. */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + HOST + ":" + PORT + "/" + database;
    }

    /** The admin user, who owns the database; with its password a control plane can live in it. */
    public static String adminUser() {
        return ADMIN_USER;
    }

    public static String adminPassword() {
        return ADMIN_PASSWORD;
    }

    /** Lets the CDC user read the tables and streams them through the job's publication. */
    void publish(String... tables) throws SQLException {
        execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + CDC_USER,
                "CREATE PUBLICATION " + slot + "_pub FOR TABLE " + String.join(", ", tables));
    }

    String sourceYaml(String id, Path passwordFile) throws IOException {
        Files.writeString(passwordFile, CDC_PASSWORD);
        return """
                  - id: %s
                    type: postgres
                    hostname: %s
                    port: %d
                    database: %s
                    username: %s
                    password: ${file:%s}
                    slot-name: %s
                    heartbeat-interval: 1s
                    server-time-zone: UTC
                """.formatted(id, HOST, PORT, database, CDC_USER, passwordFile, slot);
    }

    @Override
    public void close() throws SQLException {
        admin.close();
        try (Connection cdc = connect(database, CDC_USER, CDC_PASSWORD); Statement st = cdc.createStatement()) {
            st.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '" + slot + "'");
        }
        // A job's connections (of the CDC user, which the admin may not terminate) can outlive
        // the job by a moment on a loaded machine.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try (Connection postgres = connect("postgres", ADMIN_USER, ADMIN_PASSWORD); Statement st = postgres.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
                return;
            } catch (SQLException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("Interrupted while dropping " + database, e);
            }
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }
}
