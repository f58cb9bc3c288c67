package io.lakehousecdc.app;

import io.lakehousecdc.app.config.LakeLayout;
import io.lakehousecdc.app.config.LakehouseConfig;
import io.lakehousecdc.app.job.EmbeddedPipeline;
import io.lakehousecdc.app.job.PipelineJob;
import io.lakehousecdc.app.query.LakeQuery;

import org.apache.flink.types.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A PostgreSQL source (pgoutput) and a MySQL source in one job: snapshot, then insert, update,
 * delete and delete-then-reinsert, with {@code timestamp} and {@code timestamptz} landing as WIB
 * and the other PostgreSQL types as documented; the replication slot keeps advancing while the
 * captured tables are idle.
 */
class PostgresAndMySqlToHudiITCase {

    private static final String PG_COLUMNS =
            "id, drug, dose, qty, written_at, dispensed_at, tags, attrs, ref, total, status, active, day";

    @TempDir
    static Path dir;

    private static LocalPostgres postgres;
    private static LocalMySql mysql;
    private static LakehouseConfig config;

    @BeforeAll
    static void createSources() throws Exception {
        postgres = LocalPostgres.createDatabase("it_pg");
        postgres.execute(
                "CREATE TYPE rx_status AS ENUM ('new', 'dispensed')",
                "CREATE TABLE prescriptions (id BIGINT PRIMARY KEY, drug TEXT NOT NULL, dose NUMERIC(8,2), qty INTEGER,"
                        + " written_at TIMESTAMP(3) NOT NULL, dispensed_at TIMESTAMPTZ, tags TEXT[], attrs JSONB, ref UUID,"
                        + " total NUMERIC, status rx_status, active BOOLEAN, day DATE)",
                "CREATE TABLE activity (id SERIAL PRIMARY KEY, note TEXT)",
                // 17:30 UTC is 00:30 WIB on the next day.
                "INSERT INTO prescriptions VALUES (1, 'amoxicillin', 500.25, 30, '2024-01-01 17:30:00.123',"
                        + " '2024-01-01 16:59:59.654321+00', '{a,b}', '{\"dose\": \"2x\"}', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',"
                        + " 12345678901234567890.123456789, 'new', true, '2024-01-01')",
                "INSERT INTO prescriptions VALUES (2, 'ibuprofen', NULL, NULL, '2024-01-01 10:00:00', NULL, NULL, NULL, NULL,"
                        + " NULL, NULL, NULL, NULL)");
        postgres.publish("prescriptions");

        mysql = LocalMySql.createDatabase("it_mixed");
        mysql.execute("CREATE TABLE doctors (id INT PRIMARY KEY, name VARCHAR(50) NOT NULL)",
                "INSERT INTO doctors VALUES (1, 'dr. Hadi')");

        Path configFile = dir.resolve("lakehouse.yaml");
        Files.writeString(configFile, """
                pipeline:
                  name: mixed-it
                  checkpoint-interval: 1s
                  web-ui-port: 0
                sources:
                %s%s
                lake:
                  base-path: %s
                tables:
                  - source: pharmacy
                    table: public.prescriptions
                    partition-by: written_at
                  - source: clinic
                    table: %s.doctors
                """.formatted(postgres.sourceYaml("pharmacy", dir.resolve("pg-password")),
                LocalMySql.sourceYaml("clinic", dir.resolve("mysql-password")), dir.resolve("lake"), mysql.database));
        config = LakehouseConfig.load(configFile, List.of());
    }

    @AfterAll
    static void dropSources() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
        if (mysql != null) {
            mysql.close();
        }
    }

    @Test
    void bothSourcesLandInOneJobAndTheSlotAdvancesWhileIdle() throws Exception {
        try (EmbeddedPipeline pipeline = EmbeddedPipeline.start(PipelineJob.prepare(config), null, false)) {
            awaitLake(List.of(
                    "1|amoxicillin|500.25|30|2024-01-02T00:30:00.123|2024-01-01T23:59:59.654321|[a, b]|{\"dose\": \"2x\"}"
                            + "|a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11|12345678901234567890.123456789|new|true|2024-01-01",
                    "2|ibuprofen|NULL|NULL|2024-01-01T17:00:00|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL"),
                    List.of("1|dr. Hadi"));

            postgres.execute(
                    "INSERT INTO prescriptions (id, drug, written_at, dispensed_at, status) VALUES"
                            + " (3, 'cetirizine', '2024-01-02 23:00:00', '2024-01-02 23:00:00+07', 'dispensed')",
                    "UPDATE prescriptions SET dose = 250.00, tags = '{c}', written_at = '2024-01-03 01:00:00' WHERE id = 1",
                    "DELETE FROM prescriptions WHERE id = 2",
                    "INSERT INTO prescriptions (id, drug, written_at) VALUES (2, 'paracetamol', '2024-01-01 12:00:00')");
            mysql.execute("UPDATE doctors SET name = 'dr. Hadi Santoso' WHERE id = 1", "INSERT INTO doctors VALUES (2, 'dr. Sari')");
            awaitLake(List.of(
                    "1|amoxicillin|250.00|30|2024-01-03T08:00:00|2024-01-01T23:59:59.654321|[c]|{\"dose\": \"2x\"}"
                            + "|a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11|12345678901234567890.123456789|new|true|2024-01-01",
                    "2|paracetamol|NULL|NULL|2024-01-01T19:00:00|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL",
                    "3|cetirizine|NULL|NULL|2024-01-03T06:00:00|2024-01-02T23:00:00|NULL|NULL|NULL|NULL|dispensed|NULL|NULL"),
                    List.of("1|dr. Hadi Santoso", "2|dr. Sari"));

            // WAL written by a table the job does not capture: the slot must still move past it.
            long before = confirmedFlushLsn();
            for (int i = 0; i < 20; i++) {
                postgres.execute("INSERT INTO activity (note) VALUES ('idle traffic " + i + "')");
            }
            long written = walPosition();
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (confirmedFlushLsn() < written && System.nanoTime() < deadline) {
                postgres.execute("INSERT INTO activity (note) VALUES ('keepalive')");
                Thread.sleep(1000);
            }
            assertThat(confirmedFlushLsn()).isGreaterThan(before).isGreaterThanOrEqualTo(written);
            pipeline.cancel();
        }
    }

    private static long confirmedFlushLsn() throws Exception {
        return lsn("SELECT (confirmed_flush_lsn - '0/0'::pg_lsn)::bigint FROM pg_replication_slots WHERE slot_name = '"
                + postgres.slot + "'");
    }

    private static long walPosition() throws Exception {
        return lsn("SELECT (pg_current_wal_lsn() - '0/0'::pg_lsn)::bigint");
    }

    private static long lsn(String sql) throws Exception {
        try (Statement st = postgres.connection().createStatement(); ResultSet rs = st.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getLong(1);
        }
    }

    private static void awaitLake(List<String> prescriptions, List<String> doctors) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        Map<String, List<String>> expected = Map.of("prescriptions", prescriptions, "doctors", doctors);
        Map<String, List<String>> lake = Map.of();
        while (System.nanoTime() < deadline) {
            lake = Map.of("prescriptions", lakeRows("pharmacy_" + postgres.database + "_prescriptions", PG_COLUMNS),
                    "doctors", lakeRows("clinic_" + mysql.database + "_doctors", "id, name"));
            if (lake.equals(expected)) {
                return;
            }
            Thread.sleep(1000);
        }
        throw new TimeoutException("Lake did not reach the expected rows.\nexpected: " + expected + "\nlake:     " + lake);
    }

    private static List<String> lakeRows(String table, String columns) throws Exception {
        LakeQuery query = LakeQuery.over(LakeLayout.processedTables(config));
        if (!query.tableNames().contains(table)) {
            return List.of();
        }
        List<String> rows = new ArrayList<>();
        String quoted = "`" + columns.replace(", ", "`, `") + "`";
        for (Row row : query.run("SELECT " + quoted + " FROM " + table + " ORDER BY id").rows()) {
            List<String> cells = new ArrayList<>();
            for (int i = 0; i < row.getArity(); i++) {
                Object v = row.getField(i);
                cells.add(v == null ? "NULL"
                        : v instanceof LocalDateTime t ? DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(t)
                        : v instanceof Object[] array ? Arrays.toString(array)
                        : v instanceof java.math.BigDecimal d ? d.toPlainString() : v.toString());
            }
            rows.add(String.join("|", cells));
        }
        return rows;
    }
}
