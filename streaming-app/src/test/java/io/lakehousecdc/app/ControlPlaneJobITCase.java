package io.lakehousecdc.app;

import io.lakehousecdc.app.config.LakeLayout;
import io.lakehousecdc.app.config.LakehouseConfig;
import io.lakehousecdc.app.control.ControlPlane;
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
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The job takes its tables from the control plane: five tables of a MySQL and a PostgreSQL
 * source in one job; then a sixth added with {@code lakehouse tables add} and the job resumed
 * from its stop savepoint. The sixth, a table without a primary key keyed by the control plane,
 * is snapshotted and streamed; the five lose nothing changed while the job was down, on either
 * source, and read no change twice; and {@code lakehouse status} shows all six. Disabling a
 * table then stops its writes and keeps its lake data.
 */
class ControlPlaneJobITCase {

    private static final List<String> MYSQL_TABLES = List.of("visits", "doctors", "rooms");
    private static final List<String> POSTGRES_TABLES = List.of("prescriptions", "drugs");

    @TempDir
    static Path dir;

    private static LocalPostgres control;
    private static LocalMySql clinic;
    private static LocalPostgres pharmacy;
    private static Path config;

    @BeforeAll
    static void createDatabases() throws Exception {
        control = LocalPostgres.createDatabase("cp_job");
        clinic = LocalMySql.createDatabase("cp_job_clinic");
        for (String table : List.of("visits", "doctors", "rooms", "invoices")) {
            // invoices has no primary key: the control plane names its key.
            String id = table.equals("invoices") ? "id INT NOT NULL" : "id INT PRIMARY KEY";
            clinic.execute("CREATE TABLE " + table + " (" + id + ", label VARCHAR(40) NOT NULL)",
                    "INSERT INTO " + table + " VALUES (1, '" + table + " one'), (2, '" + table + " two')");
        }
        pharmacy = LocalPostgres.createDatabase("cp_job_pharmacy");
        for (String table : POSTGRES_TABLES) {
            pharmacy.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, label VARCHAR(40) NOT NULL)",
                    "INSERT INTO " + table + " VALUES (1, '" + table + " one'), (2, '" + table + " two')");
        }
        pharmacy.publish("prescriptions", "drugs");
        config = dir.resolve("lakehouse.yaml");
        Files.writeString(config, """
                pipeline:
                  name: control-plane-job
                  checkpoint-interval: 1s
                  web-ui-port: 0
                control-plane:
                  jdbc-url: %s
                  username: %s
                  password: %s
                lake:
                  base-path: %s
                sources:
                %s%s""".formatted(control.jdbcUrl(), LocalPostgres.adminUser(), LocalPostgres.adminPassword(), dir.resolve("lake"),
                LocalMySql.sourceYaml("clinic", dir.resolve("clinic-password")),
                pharmacy.sourceYaml("pharmacy", dir.resolve("pharmacy-password"))));
    }

    @AfterAll
    static void dropDatabases() throws Exception {
        for (AutoCloseable database : new AutoCloseable[] {clinic, pharmacy, control}) {
            if (database != null) {
                database.close();
            }
        }
    }

    @Test
    void aTableAddedThroughTheCommandIsSnapshottedOnResumeWhileTheOthersContinue() throws Exception {
        for (String table : MYSQL_TABLES) {
            tables("add", "clinic", clinic.database + "." + table);
        }
        for (String table : POSTGRES_TABLES) {
            tables("add", "pharmacy", "public." + table);
        }
        LakehouseConfig settings = LakehouseConfig.load(config, List.of());
        String stopped;
        try (EmbeddedPipeline pipeline = EmbeddedPipeline.start(PipelineJob.prepare(settings), null, false)) {
            assertThat(pipeline.job().tables()).hasSize(5);
            awaitLakeEqualsSource(settings, 5);
            clinic.execute("INSERT INTO visits VALUES (3, 'visits three')", "UPDATE doctors SET label = 'renamed' WHERE id = 1",
                    "DELETE FROM rooms WHERE id = 2");
            pharmacy.execute("INSERT INTO drugs VALUES (3, 'drugs three')", "UPDATE prescriptions SET label = 'renamed' WHERE id = 2");
            awaitLakeEqualsSource(settings, 5);
            stopped = CliRun.of("savepoint", "stop", "--jobmanager", pipeline.webUi().toString()).succeeded().strip();
        }

        pharmacy.execute("INSERT INTO prescriptions VALUES (4, 'while down')", "UPDATE drugs SET label = 'while down' WHERE id = 2");
        clinic.execute("INSERT INTO visits VALUES (4, 'while down')", "DELETE FROM doctors WHERE id = 2",
                "INSERT INTO invoices VALUES (3, 'invoices three')");
        assertThat(tables("add", "clinic", clinic.database + ".invoices", "key-columns=id"))
                .contains("added clinic " + clinic.database + ".invoices");

        try (EmbeddedPipeline resumed = EmbeddedPipeline.start(PipelineJob.prepare(settings), stopped, false)) {
            assertThat(resumed.job().tables()).hasSize(6);
            clinic.execute("UPDATE invoices SET label = 'streamed' WHERE id = 1", "DELETE FROM invoices WHERE id = 2",
                    "INSERT INTO rooms VALUES (5, 'rooms five')");
            pharmacy.execute("INSERT INTO prescriptions VALUES (7, 'after resume')", "DELETE FROM drugs WHERE id = 1");
            awaitLakeEqualsSource(settings, 6);
            for (Map.Entry<String, String> table : processedTables(settings).entrySet()) {
                Row counts = LakeQuery.over(Map.of(table.getKey(), table.getValue()))
                        .run("SELECT COUNT(*), COUNT(DISTINCT id) FROM " + table.getKey()).rows().get(0);
                assertThat(counts.getField(0)).as(table.getKey()).isEqualTo(counts.getField(1));
            }

            String status = CliRun.of("status", "--config", config.toString()).succeeded();
            assertThat(status.lines().filter(line -> line.contains(" enabled ")).count()).isEqualTo(6);
            assertThat(status).contains("clinic_" + clinic.database + "_invoices", "pharmacy_" + pharmacy.database + "_drugs");
            stopped = CliRun.of("savepoint", "stop", "--jobmanager", resumed.webUi().toString()).succeeded().strip();
        }
        // No change was read twice: each is in the change log once, at its own source position.
        Map<String, String> changeLogs = LakeLayout.rawTables(settings, ControlPlane.tablesOf(settings, true));
        LakeQuery changeLogQuery = LakeQuery.over(changeLogs);
        for (String changeLog : changeLogs.keySet()) {
            Row counts = changeLogQuery.run("SELECT COUNT(*), COUNT(DISTINCT _cdc_seq) FROM " + changeLog
                    + " WHERE _cdc_op <> 'r'").rows().get(0);
            assertThat(counts.getField(0)).as(changeLog).isEqualTo(counts.getField(1));
        }

        // A disabled table's writes stop; what the lake holds of it stays, and the rest goes on.
        tables("disable", "clinic", clinic.database + ".rooms");
        String rooms = "clinic_" + clinic.database + "_rooms";
        List<String> roomsBefore = lakeRows(rooms);
        try (EmbeddedPipeline withoutRooms = EmbeddedPipeline.start(PipelineJob.prepare(settings), stopped, true)) {
            assertThat(withoutRooms.job().tables()).hasSize(5);
            clinic.execute("INSERT INTO rooms VALUES (9, 'not captured')", "INSERT INTO visits VALUES (9, 'captured')");
            awaitLakeEqualsSource(settings, 5);
            assertThat(lakeRows(rooms)).isEqualTo(roomsBefore).doesNotContain("9|not captured");
            assertThat(CliRun.of("status", "--config", config.toString()).succeeded())
                    .containsPattern(rooms + " +disabled ");
            withoutRooms.cancel();
        }
    }

    private static List<String> lakeRows(String table) throws Exception {
        Map<String, String> all = LakeLayout.processedTables(LakehouseConfig.load(config, List.of()),
                ControlPlane.tablesOf(LakehouseConfig.load(config, List.of()), false));
        return LakeQuery.over(Map.of(table, all.get(table))).run("SELECT id, label FROM " + table + " ORDER BY id").rows()
                .stream().map(r -> r.getField(0) + "|" + r.getField(1)).toList();
    }

    private static String tables(String... args) {
        List<String> all = new ArrayList<>(List.of("tables"));
        all.addAll(List.of(args));
        all.addAll(List.of("--config", config.toString()));
        return CliRun.of(all.toArray(String[]::new)).succeeded();
    }

    private static Map<String, String> processedTables(LakehouseConfig settings) {
        return LakeLayout.processedTables(settings, ControlPlane.tablesOf(settings, true));
    }

    private static Map<String, List<String>> source() throws Exception {
        Map<String, List<String>> rows = new LinkedHashMap<>();
        for (String table : List.of("visits", "doctors", "rooms", "invoices")) {
            rows.put("clinic_" + clinic.database + "_" + table, rows(clinic.connection(), table));
        }
        for (String table : POSTGRES_TABLES) {
            rows.put("pharmacy_" + pharmacy.database + "_" + table, rows(pharmacy.connection(), table));
        }
        return rows;
    }

    private static List<String> rows(Connection connection, String table) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("SELECT id, label FROM " + table + " ORDER BY id")) {
            while (rs.next()) {
                rows.add(rs.getInt(1) + "|" + rs.getString(2));
            }
        }
        return rows;
    }

    private static void awaitLakeEqualsSource(LakehouseConfig settings, int tableCount) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        Map<String, List<String>> lake = Map.of();
        Map<String, List<String>> expected = Map.of();
        while (System.nanoTime() < deadline) {
            Map<String, String> tables = processedTables(settings);
            assertThat(tables).hasSize(tableCount);
            expected = new LinkedHashMap<>(source());
            expected.keySet().retainAll(tables.keySet());
            lake = new LinkedHashMap<>();
            LakeQuery query = LakeQuery.over(tables);
            for (String table : tables.keySet()) {
                lake.put(table, query.tableNames().contains(table)
                        ? query.run("SELECT id, label FROM " + table + " ORDER BY id").rows().stream()
                                .map(r -> r.getField(0) + "|" + r.getField(1)).toList()
                        : List.of());
            }
            if (lake.equals(expected)) {
                return;
            }
            Thread.sleep(1000);
        }
        throw new TimeoutException("Lake did not catch up with the source.\nsource: " + expected + "\nlake:   " + lake);
    }
}
