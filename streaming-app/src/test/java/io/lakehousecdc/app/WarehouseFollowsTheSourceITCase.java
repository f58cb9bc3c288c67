package io.lakehousecdc.app;

import io.lakehousecdc.app.config.LakehouseConfig;
import io.lakehousecdc.app.feed.WarehouseFeedRunner;
import io.lakehousecdc.app.job.EmbeddedPipeline;
import io.lakehousecdc.app.job.PipelineJob;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The warehouse models follow real source changes through the whole pipeline (source, job, raw
 * zone, feed): SCD2 versions for scripted sequences, an inferred member completed when its
 * dimension row arrives, a report equal to the same aggregate over the source, and neither a
 * duplicate nor a missing row after the job and the feed are killed mid-stream and restarted.
 */
class WarehouseFollowsTheSourceITCase {

    private static final String DIM_PATIENT = """
            kind: dimension
            scd: 2
            lake-table: clinic_%s_patients
            surrogate-key: patient_sk
            key: [patient_id]
            columns:
              - {lake: id, as: patient_id}
              - full_name
              - phone
              - city
            tracked: [full_name, phone]
            """;
    private static final String DIM_DOCTOR = """
            kind: dimension
            scd: 1
            lake-table: clinic_%s_doctors
            surrogate-key: doctor_sk
            key: [doctor_id]
            columns:
              - {lake: id, as: doctor_id}
              - name
              - specialty
            """;
    private static final String FACT_CONSULTATION = """
            kind: fact
            lake-table: clinic_%s_consultations
            key: [consultation_id]
            time: started_at
            columns:
              - {lake: id, as: consultation_id}
              - patient_id
              - doctor_id
              - started_at
              - fee
            dimensions:
              - {model: dim_patient, columns: [patient_id], as: patient_sk}
              - {model: dim_doctor, columns: [doctor_id], as: doctor_sk}
            """;
    private static final String RPT_DOCTOR_REVENUE = """
            kind: report
            sql: |
              SELECT d.doctor_id, d.name, COUNT(*) AS consultations, SUM(f.fee) AS revenue
              FROM {fact_consultation} f JOIN {dim_doctor} d ON d.doctor_sk = f.doctor_sk
              GROUP BY d.doctor_id, d.name
            """;
    private static final String SOURCE_DOCTOR_REVENUE = "SELECT d.id, d.name, COUNT(*), SUM(c.fee)"
            + " FROM consultations c JOIN doctors d ON d.id = c.doctor_id GROUP BY d.id, d.name ORDER BY d.id";

    @TempDir
    static Path dir;

    private static LocalMySql mysql;
    private static LakehouseConfig config;
    private static String schema;

    @BeforeAll
    static void createSourceAndModels() throws Exception {
        mysql = LocalMySql.createDatabase("it_wh");
        schema = mysql.database;
        mysql.execute("CREATE TABLE doctors (id INT PRIMARY KEY, name VARCHAR(60) NOT NULL, specialty VARCHAR(40))",
                "CREATE TABLE patients (id BIGINT PRIMARY KEY, full_name VARCHAR(80) NOT NULL, phone VARCHAR(20), city VARCHAR(40))",
                "CREATE TABLE consultations (id BIGINT PRIMARY KEY, patient_id BIGINT NOT NULL, doctor_id INT NOT NULL,"
                        + " started_at DATETIME(3) NOT NULL, fee DECIMAL(10,2) NOT NULL)",
                "INSERT INTO doctors VALUES (1, 'dr. Hadi', 'GP'), (2, 'dr. Eka', 'Cardio')",
                "INSERT INTO patients VALUES (1, 'Ani', '0811', 'Jakarta'), (2, 'Budi', '0821', 'Bandung')",
                "INSERT INTO consultations VALUES (1, 1, 1, '2026-11-01 09:00:00', 150.00), (2, 2, 2, '2026-11-01 10:00:00', 300.00)");
        Path models = Files.createDirectories(dir.resolve("models"));
        Files.writeString(models.resolve("dim_patient.yaml"), DIM_PATIENT.formatted(mysql.database));
        Files.writeString(models.resolve("dim_doctor.yaml"), DIM_DOCTOR.formatted(mysql.database));
        Files.writeString(models.resolve("fact_consultation.yaml"), FACT_CONSULTATION.formatted(mysql.database));
        Files.writeString(models.resolve("rpt_doctor_revenue.yaml"), RPT_DOCTOR_REVENUE);
        Path file = dir.resolve("lakehouse.yaml");
        Files.writeString(file, """
                pipeline:
                  name: warehouse-it
                  checkpoint-interval: 2s
                  web-ui-port: 0
                sources:
                %s
                lake:
                  base-path: %s
                tables:
                  - source: clinic
                    table: %s.doctors
                  - source: clinic
                    table: %s.patients
                  - source: clinic
                    table: %s.consultations
                %s""".formatted(LocalMySql.sourceYaml("clinic", dir.resolve("cdc-password")), dir.resolve("lake"),
                mysql.database, mysql.database, mysql.database, LocalPostgres.warehouseYaml(schema, models)));
        config = LakehouseConfig.load(file, List.of());
    }

    @AfterAll
    static void dropSourceAndWarehouse() throws Exception {
        if (mysql != null) {
            mysql.close();
            try (Connection warehouse = LocalPostgres.connectWarehouse(); Statement st = warehouse.createStatement()) {
                st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    @Test
    void modelsFollowTheSourceAndSurviveAKilledJobAndFeed() throws Exception {
        try (EmbeddedPipeline job = EmbeddedPipeline.start(PipelineJob.prepare(config), null, false);
                WarehouseFeedRunner feed = WarehouseFeedRunner.start(config)) {
            awaitWarehouse("SELECT consultation_id FROM {schema}.fact_consultation ORDER BY 1", "SELECT id FROM consultations ORDER BY 1");

            // Several changes of one key between two checkpoints, the last to an untracked column.
            change("UPDATE patients SET phone = '0812' WHERE id = 1", "UPDATE patients SET phone = '0813' WHERE id = 1",
                    "UPDATE patients SET full_name = 'Ani Susanti' WHERE id = 1", "UPDATE patients SET city = 'Bogor' WHERE id = 1");
            // Update then delete.
            change("UPDATE patients SET phone = '0822' WHERE id = 2", "DELETE FROM patients WHERE id = 2");
            // Delete then reinsert, in separate commits.
            change("INSERT INTO patients VALUES (3, 'Citra', '0831', 'Depok')");
            job.awaitCheckpoints(1, Duration.ofMinutes(1));
            change("DELETE FROM patients WHERE id = 3");
            job.awaitCheckpoints(1, Duration.ofMinutes(1));
            change("INSERT INTO patients VALUES (3, 'Citra', '0839', 'Depok')");
            // A consultation with a doctor that reaches the lake only later.
            change("INSERT INTO consultations VALUES (3, 1, 9, '2026-11-02 08:00:00', 200.00)");
            awaitWarehouse("SELECT name, is_inferred FROM {schema}.dim_doctor WHERE doctor_id = 9", List.of("null|t"));
            String inferredKey = warehouse("SELECT doctor_sk FROM {schema}.dim_doctor WHERE doctor_id = 9").get(0);
            assertThat(warehouse("SELECT doctor_sk FROM {schema}.fact_consultation WHERE consultation_id = 3")).containsExactly(inferredKey);

            change("INSERT INTO doctors VALUES (9, 'dr. Sari', 'Pediatrics')");
            awaitWarehouse("SELECT doctor_sk, name, is_inferred FROM {schema}.dim_doctor WHERE doctor_id = 9",
                    List.of(inferredKey + "|dr. Sari|f"));
            assertThat(feed.awaitCaughtUp(Duration.ofMinutes(1))).isTrue();

            assertThat(warehouse("SELECT patient_id, version, full_name, phone, city, is_current, valid_to IS NULL"
                    + " FROM {schema}.dim_patient ORDER BY patient_id, version")).containsExactly(
                    "1|1|Ani|0811|Jakarta|f|f",
                    "1|2|Ani|0812|Jakarta|f|f",
                    "1|3|Ani|0813|Jakarta|f|f",
                    "1|4|Ani Susanti|0813|Bogor|t|t",
                    "2|1|Budi|0821|Bandung|f|f",
                    "2|2|Budi|0822|Bandung|f|f",
                    "3|1|Citra|0831|Depok|f|f",
                    "3|2|Citra|0839|Depok|t|t");
            assertThat(warehouse("SELECT COUNT(*) FROM {schema}.dim_patient a JOIN {schema}.dim_patient b"
                    + " ON b.patient_id = a.patient_id AND b.version = a.version + 1 WHERE a.patient_id = 1 AND a.valid_to = b.valid_from"))
                    .as("without a delete between them, each version ends where the next begins").containsExactly("3");
            assertThat(warehouse("SELECT doctor_id, name, consultations, revenue FROM {schema}.rpt_doctor_revenue ORDER BY 1"))
                    .isEqualTo(source(SOURCE_DOCTOR_REVENUE)).hasSize(3);

            // A steady stream of changes; the job and the feed are killed once the warehouse has part of it.
            try (SourceWriter writer = SourceWriter.start(100, 60)) {
                awaitWarehouseCountAbove(2 + 10);
                job.cancel();
                feed.close();
                writer.awaitDone();
            }
            change("UPDATE patients SET phone = '0814' WHERE id = 1");
        }

        try (EmbeddedPipeline job = EmbeddedPipeline.start(PipelineJob.prepare(config), "latest", false);
                WarehouseFeedRunner feed = WarehouseFeedRunner.start(config)) {
            awaitWarehouse("SELECT consultation_id, patient_id, doctor_id, fee FROM {schema}.fact_consultation ORDER BY 1",
                    "SELECT id, patient_id, doctor_id, fee FROM consultations ORDER BY 1");
            assertThat(feed.awaitCaughtUp(Duration.ofMinutes(1))).isTrue();
            assertThat(warehouse("SELECT COUNT(*) - COUNT(DISTINCT consultation_id) FROM {schema}.fact_consultation"))
                    .as("no consultation twice").containsExactly("0");
            assertThat(warehouse("SELECT version, phone, is_current FROM {schema}.dim_patient WHERE patient_id = 1 AND version >= 4"
                    + " ORDER BY version")).as("the change made while nothing ran: one new version").containsExactly("4|0813|f", "5|0814|t");
            assertThat(warehouse("SELECT doctor_id, name, consultations, revenue FROM {schema}.rpt_doctor_revenue ORDER BY 1"))
                    .isEqualTo(source(SOURCE_DOCTOR_REVENUE));
            assertThat(CliRun.of("status", "--config", dir.resolve("lakehouse.yaml").toString()).succeeded())
                    .as("status shows where each model stands")
                    .containsPattern("(?m)^fact_consultation +clinic_\\w+_consultations +\\d{17} +\\S+ \\S+ +0$")
                    .containsPattern("(?m)^dim_patient +clinic_\\w+_patients +\\d{17} ");
            job.cancel();
        }
    }

    /** Inserts consultations {@code from}, {@code from + 1}, ... in small transactions, a few per checkpoint. */
    private static final class SourceWriter implements AutoCloseable {
        private final Thread thread;
        private volatile Exception failure;

        private SourceWriter(long from, int count) {
            thread = new Thread(() -> {
                try (Connection connection = LocalMySql.connectAdmin(); Statement st = connection.createStatement()) {
                    st.execute("USE " + mysql.database);
                    for (long id = from; id < from + count; id++) {
                        st.executeUpdate("INSERT INTO consultations VALUES (" + id + ", " + (1 + id % 2) + ", " + (1 + id % 2)
                                + ", '2026-11-03 08:00:00', " + id + ".50)");
                        Thread.sleep(100);
                    }
                } catch (Exception e) {
                    failure = e;
                }
            }, "source-writer");
        }

        static SourceWriter start(long from, int count) {
            SourceWriter writer = new SourceWriter(from, count);
            writer.thread.start();
            return writer;
        }

        void awaitDone() throws Exception {
            thread.join(Duration.ofMinutes(1).toMillis());
            if (failure != null) {
                throw failure;
            }
        }

        @Override
        public void close() throws Exception {
            awaitDone();
        }
    }

    private static void awaitWarehouseCountAbove(int count) throws Exception {
        await(() -> Integer.parseInt(warehouse("SELECT COUNT(*) FROM {schema}.fact_consultation").get(0)) > count,
                () -> "the warehouse never had more than " + count + " consultations");
    }

    private static void awaitWarehouse(String warehouseSql, String sourceSql) throws Exception {
        List<List<String>> last = new ArrayList<>();
        await(() -> {
            last.clear();
            last.add(warehouse(warehouseSql));
            last.add(source(sourceSql));
            return last.get(0).equals(last.get(1));
        }, () -> "warehouse " + last.get(0) + " never equalled source " + last.get(1));
    }

    private static void awaitWarehouse(String warehouseSql, List<String> expected) throws Exception {
        List<String> last = new ArrayList<>();
        await(() -> {
            last.clear();
            last.addAll(warehouse(warehouseSql));
            return last.equals(expected);
        }, () -> "warehouse " + last + " never became " + expected);
    }

    private static void await(Callable<Boolean> condition, Callable<String> failure) throws Exception {
        Eventually.until(Duration.ofMinutes(2), condition, failure);
    }

    private static List<String> warehouse(String sql) throws SQLException {
        try (Connection connection = LocalPostgres.connectWarehouse()) {
            return Eventually.rows(connection, sql.replace("{schema}", schema));
        }
    }

    private static void change(String... statements) throws SQLException {
        mysql.execute(statements);
    }

    private static List<String> source(String sql) throws SQLException {
        return Eventually.rows(mysql.connection(), sql);
    }
}
