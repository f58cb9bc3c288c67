package io.lakehousecdc.warehouse;

import io.lakehousecdc.core.ChangeOp;
import io.lakehousecdc.warehouse.model.Model;
import io.lakehousecdc.warehouse.model.ModelLoader;
import io.lakehousecdc.warehouse.postgres.PostgresStaging;

import org.apache.flink.table.types.logical.BigIntType;
import org.apache.flink.table.types.logical.DecimalType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.TimestampType;
import org.apache.flink.table.types.logical.VarCharType;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The local PostgreSQL's {@code warehouse} database (scripts/local-services.sh), with a schema of
 * the test's own that is dropped afterwards, and the lake tables of a small clinic.
 */
final class LocalWarehouse implements AutoCloseable {
    static final String URL = "jdbc:postgresql://127.0.0.1:5432/warehouse";
    static final String USER = "lakehouse";
    static final String PASSWORD = env("LAKEHOUSE_ADMIN_PASSWORD", "lakehouse-local");

    static final String DOCTORS = "clinic_clinic_doctors";
    static final String CONSULTATIONS = "clinic_clinic_consultations";
    static final Map<String, RowType> LAKE = Map.of(
            DOCTORS, row("id", new BigIntType(false), "name", new VarCharType(VarCharType.MAX_LENGTH),
                    "specialty", new VarCharType(50), "phone", new VarCharType(20)),
            CONSULTATIONS, row("id", new BigIntType(false), "doctor_id", new BigIntType(), "started_at", new TimestampType(3),
                    "fee", new DecimalType(10, 2), "status", new VarCharType(20)));

    final String schema;
    private final Connection admin;

    private LocalWarehouse(String schema, Connection admin) {
        this.schema = schema;
        this.admin = admin;
    }

    static LocalWarehouse create(String prefix) throws SQLException {
        String schema = prefix + "_" + UUID.randomUUID().toString().substring(0, 8);
        Connection admin;
        try {
            admin = DriverManager.getConnection(URL, USER, PASSWORD);
        } catch (SQLException e) {
            throw new SQLException("The local PostgreSQL is not ready for the tests (" + e.getMessage()
                    + "): run sudo scripts/local-services.sh", e);
        }
        return new LocalWarehouse(schema, admin);
    }

    /** A feed of the given models (YAML texts, one per model) on a new connection. */
    WarehouseFeed feed(String... modelYaml) {
        List<Model> models = new ArrayList<>();
        for (int i = 0; i < modelYaml.length; i++) {
            models.add(ModelLoader.parse(modelYaml[i], "model-" + i + ".yaml", "model_" + i));
        }
        return WarehouseFeed.create(models, PostgresStaging.connect(URL, USER, PASSWORD), schema, LAKE);
    }

    /** The rows of a query, values as text, in the order the query gives. */
    List<List<String>> rows(String sql) throws SQLException {
        try (Statement st = admin.createStatement(); ResultSet rs = st.executeQuery(sql.replace("{schema}", "\"" + schema + "\""))) {
            List<List<String>> rows = new ArrayList<>();
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    row.add(rs.getString(i));
                }
                rows.add(row);
            }
            return rows;
        }
    }

    void execute(String sql) throws SQLException {
        try (Statement st = admin.createStatement()) {
            st.execute(sql.replace("{schema}", "\"" + schema + "\""));
        }
    }

    static ChangeBatch batch(String lakeTable, String instant, ChangeRow... rows) {
        return new ChangeBatch(lakeTable, instant, List.of(rows));
    }

    /** A change: op code (r, c, u, d), position, commit time, then column name and value pairs. */
    static ChangeRow change(String op, long seq, String commitTime, Object... columns) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < columns.length; i += 2) {
            values.put((String) columns[i], columns[i + 1]);
        }
        ChangeOp changeOp = switch (op) {
            case "r" -> ChangeOp.SNAPSHOT;
            case "c" -> ChangeOp.INSERT;
            case "u" -> ChangeOp.UPDATE;
            case "d" -> ChangeOp.DELETE;
            default -> throw new IllegalArgumentException(op);
        };
        return new ChangeRow(changeOp, seq, LocalDateTime.parse(commitTime), values);
    }

    private static RowType row(Object... nameTypePairs) {
        List<RowType.RowField> fields = new ArrayList<>();
        for (int i = 0; i < nameTypePairs.length; i += 2) {
            fields.add(new RowType.RowField((String) nameTypePairs[i], (LogicalType) nameTypePairs[i + 1]));
        }
        return new RowType(fields);
    }

    @Override
    public void close() throws SQLException {
        try (Statement st = admin.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
        } finally {
            admin.close();
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }
}
