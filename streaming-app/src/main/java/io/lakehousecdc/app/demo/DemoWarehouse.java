package io.lakehousecdc.app.demo;

import io.lakehousecdc.core.SetupException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The demo's warehouse: the example models, fed into one PostgreSQL schema named after the demo database. */
final class DemoWarehouse {

    static final List<String> MODELS = List.of("dim_doctor", "dim_patient", "fact_consultation", "rpt_daily_consultations");

    private final String url;
    private final String user;
    private final String password;
    private final String schema;

    DemoWarehouse(String url, String user, String password, String schema) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.schema = schema;
    }

    /** Writes the example models, fed from the lake tables of {@code database}, into {@code dir}. */
    static void writeModels(Path dir, String database) throws IOException {
        Files.createDirectories(dir);
        for (String model : MODELS) {
            try (InputStream in = DemoWarehouse.class.getResourceAsStream("/demo/models/" + model + ".yaml")) {
                if (in == null) {
                    throw new IllegalStateException("The demo model " + model + " is missing from the application");
                }
                String yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("${database}", database);
                Files.writeString(dir.resolve(model + ".yaml"), yaml);
            }
        }
    }

    /** Drops what an earlier demo left in the schema, so that the models start empty. */
    void reset() {
        run(st -> st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE"));
    }

    /**
     * What the models hold, by what the demo compares with the source: doctors, current patient
     * versions, consultations, and the report's consultation count and revenue.
     */
    Map<String, String> counts() {
        Map<String, String> counts = new LinkedHashMap<>();
        run(st -> {
            counts.put("dim_doctor", single(st, "SELECT COUNT(*) FROM " + schema + ".dim_doctor"));
            counts.put("dim_patient (current)", single(st, "SELECT COUNT(*) FROM " + schema + ".dim_patient WHERE is_current"));
            counts.put("fact_consultation", single(st, "SELECT COUNT(*) FROM " + schema + ".fact_consultation"));
            counts.put("rpt_daily_consultations (count)",
                    single(st, "SELECT COALESCE(SUM(consultations), 0) FROM " + schema + ".rpt_daily_consultations"));
            counts.put("rpt_daily_consultations (revenue)",
                    single(st, "SELECT COALESCE(SUM(revenue), 0) FROM " + schema + ".rpt_daily_consultations"));
            counts.put("dim_patient versions", single(st, "SELECT COUNT(*) FROM " + schema + ".dim_patient"));
        });
        return counts;
    }

    private static String single(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private void run(SqlWork work) {
        try (Connection connection = DriverManager.getConnection(url, user, password); Statement st = connection.createStatement()) {
            work.run(st);
        } catch (SQLException e) {
            throw new SetupException("Cannot use the demo warehouse at " + url + " (" + e.getMessage()
                    + "): run scripts/local-services.sh to start and configure PostgreSQL, or pass --warehouse", e);
        }
    }

    @FunctionalInterface
    private interface SqlWork {
        void run(Statement st) throws SQLException;
    }
}
