package io.lakehousecdc.app;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * The local MariaDB that scripts/local-services.sh prepares: a database of the test's own, made
 * through the admin user and read back through the CDC user, dropped afterwards. A missing or
 * unprepared server fails the test: it never skips.
 */
final class LocalMySql implements AutoCloseable {
    static final String HOST = "127.0.0.1";
    static final int PORT = 3306;
    static final String CDC_USER = "lakehouse_cdc";
    static final String CDC_PASSWORD = env("LAKEHOUSE_CDC_PASSWORD", "lakehouse-cdc-local");
    private static final String ADMIN_USER = "lakehouse";
    private static final String ADMIN_PASSWORD = env("LAKEHOUSE_ADMIN_PASSWORD", "lakehouse-local");

    final String database;
    private final Connection admin;

    private LocalMySql(String database, Connection admin) {
        this.database = database;
        this.admin = admin;
    }

    static LocalMySql createDatabase(String prefix) throws SQLException {
        String name = (prefix + "_" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase(Locale.ROOT);
        Connection admin = connectAdmin();
        try (Statement st = admin.createStatement()) {
            st.execute("CREATE DATABASE " + name);
            st.execute("USE " + name);
            // Session in UTC, so TIMESTAMP literals below are UTC instants.
            st.execute("SET time_zone = '+00:00'");
        }
        return new LocalMySql(name, admin);
    }

    static Connection connectAdmin() throws SQLException {
        try {
            return DriverManager.getConnection("jdbc:mysql://" + HOST + ":" + PORT + "/?useSSL=false&allowPublicKeyRetrieval=true"
                    + "&connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true", ADMIN_USER, ADMIN_PASSWORD);
        } catch (SQLException e) {
            throw new SQLException("The local MariaDB is not ready for the tests (" + e.getMessage()
                    + "): run sudo scripts/local-services.sh", e);
        }
    }

    void execute(String... statements) throws SQLException {
        try (Statement st = admin.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        }
    }

    Connection connection() {
        return admin;
    }

    /**
     * A config file's source entry for this server, through the CDC user, its password read
     * from {@code passwordFile} as an operator would configure it.
     */
    static String sourceYaml(String id, java.nio.file.Path passwordFile) throws java.io.IOException {
        java.nio.file.Files.writeString(passwordFile, CDC_PASSWORD);
        return """
                  - id: %s
                    type: mysql
                    hostname: %s
                    port: %d
                    username: %s
                    password: ${file:%s}
                    server-time-zone: UTC
                """.formatted(id, HOST, PORT, CDC_USER, passwordFile);
    }

    @Override
    public void close() throws SQLException {
        try (Statement st = admin.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + database);
        } finally {
            admin.close();
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }
}
