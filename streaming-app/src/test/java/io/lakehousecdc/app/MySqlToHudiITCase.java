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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The MySQL binlog to Hudi slice against the local MariaDB: snapshot, then inserts, updates
 * (partition column included), deletes and delete-then-reinsert, with DATETIME and TIMESTAMP
 * values landing as WIB; then a kill after a checkpoint and a restart from it, losing and
 * duplicating nothing.
 */
class MySqlToHudiITCase {

    private static final String COLUMNS = "id, patient, started_at, checked_in, fee, visit_day, slot";
    private static final DateTimeFormatter ISO = DateTimeFormatter.ISO_LOCAL_DATE_TIME;

    @TempDir
    static Path dir;

    private static LocalMySql mysql;
    private static Path configFile;
    private static LakehouseConfig config;

    @BeforeAll
    static void createSource() throws Exception {
        mysql = LocalMySql.createDatabase("it_slice");
        mysql.execute(
                "CREATE TABLE visits (id INT PRIMARY KEY, patient VARCHAR(50) NOT NULL, started_at DATETIME(3) NOT NULL,"
                        + " checked_in TIMESTAMP(6) NULL, fee DECIMAL(10,2) NULL, visit_day DATE NULL, slot TIME NULL)",
                "CREATE TABLE doctors (id INT PRIMARY KEY, name VARCHAR(50) NOT NULL)",
                // 17:30 UTC is 00:30 WIB on the next day: the row belongs to the 2024-01-02 partition.
                "INSERT INTO visits VALUES (1, 'Ayu', '2024-01-01 17:30:00.250', '2024-01-01 16:59:59.123456', 150000.50,"
                        + " '2024-01-01', '09:15:00')",
                "INSERT INTO visits VALUES (2, 'Budi', '2024-01-01 10:00:00', '2024-01-01 10:05:00', 75000.00, NULL, NULL)",
                "INSERT INTO visits VALUES (3, 'Citra', '2024-01-01 03:00:00', NULL, NULL, NULL, NULL)",
                "INSERT INTO doctors VALUES (1, 'dr. Hadi'), (2, 'dr. Sari')");
        configFile = dir.resolve("lakehouse.yaml");
        Files.writeString(configFile, """
                pipeline:
                  name: slice-it
                  checkpoint-interval: 1s
                  web-ui-port: 0
                sources:
                %s
                lake:
                  base-path: %s
                tables:
                  - source: clinic
                    table: %s.visits
                    partition-by: started_at
                  - source: clinic
                    table: %s.doctors
                """.formatted(LocalMySql.sourceYaml("clinic", dir.resolve("cdc-password")), dir.resolve("lake"),
                mysql.database, mysql.database));
        config = LakehouseConfig.load(configFile, List.of());
    }

    @AfterAll
    static void dropSource() throws Exception {
        if (mysql != null) {
            mysql.close();
        }
    }

    @Test
    void changesLandInWibAndSurviveAKillAndRestartFromCheckpoint() throws Exception {
        PipelineJob job = PipelineJob.prepare(config);
        EmbeddedPipeline pipeline = EmbeddedPipeline.start(job, null, false);
        try {
            awaitLakeEqualsSource();
            List<String> snapshot = lakeRows("visits");
            assertThat(snapshot).contains(
                    "1|Ayu|2024-01-02T00:30:00.25|2024-01-01T23:59:59.123456|150000.50|2024-01-01|09:15:00",
                    "2|Budi|2024-01-01T17:00:00|2024-01-01T17:05:00|75000.00|NULL|NULL");

            mysql.execute(
                    "INSERT INTO visits VALUES (4, 'Dewi', '2024-01-02 01:00:00', '2024-01-02 01:00:00.5', 10.01, NULL, NULL)",
                    // Moves visit 2 from the 2024-01-01 partition to 2024-01-03 (WIB).
                    "UPDATE visits SET started_at = '2024-01-02 18:00:00', fee = 80000.25 WHERE id = 2",
                    "DELETE FROM visits WHERE id = 3",
                    "DELETE FROM visits WHERE id = 1",
                    "INSERT INTO visits VALUES (1, 'Ayu Lestari', '2024-01-01 17:45:00', NULL, 1.00, NULL, '23:59:59')",
                    "UPDATE doctors SET name = 'dr. Hadi Santoso' WHERE id = 1",
                    "DELETE FROM doctors WHERE id = 2");
            awaitLakeEqualsSource();
            assertThat(lakeRows("visits")).containsExactly(
                    "1|Ayu Lestari|2024-01-02T00:45:00|NULL|1.00|NULL|23:59:59",
                    "2|Budi|2024-01-03T01:00:00|2024-01-01T17:05:00|80000.25|NULL|NULL",
                    "4|Dewi|2024-01-02T08:00:00|2024-01-02T08:00:00.5|10.01|NULL|NULL");
            assertThat(lakeRows("doctors")).containsExactly("1|dr. Hadi Santoso");
            Path visits = Path.of(java.net.URI.create(LakeLayout.processedTables(config).get(lakeName("visits"))));
            assertThat(visits.resolve("started_at=2024-01-02")).isDirectory();
            assertThat(visits.resolve("started_at=2024-01-03")).isDirectory();

            // Changes that a checkpoint covers, then changes it does not, then a kill.
            insertVisits(100, 120);
            mysql.execute("UPDATE visits SET fee = fee + 1 WHERE id BETWEEN 100 AND 110");
            pipeline.awaitCheckpoints(2, Duration.ofMinutes(2));
            insertVisits(120, 140);
            mysql.execute("DELETE FROM visits WHERE id BETWEEN 100 AND 104", "UPDATE visits SET patient = 'moved' WHERE id = 4");
        } finally {
            pipeline.close();
        }

        try (EmbeddedPipeline resumed = EmbeddedPipeline.start(PipelineJob.prepare(config), "latest", false)) {
            insertVisits(140, 150);
            mysql.execute("UPDATE visits SET slot = '12:00:00' WHERE id BETWEEN 120 AND 130");
            awaitLakeEqualsSource();
            LakeQuery.Result counts = query("SELECT COUNT(*), COUNT(DISTINCT id) FROM " + lakeName("visits"));
            long sourceCount = sourceRows("visits").size();
            assertThat(counts.rows().get(0).getField(0)).isEqualTo(sourceCount);
            assertThat(counts.rows().get(0).getField(1)).isEqualTo(sourceCount);
            resumed.cancel();
        }

        assertQueryCommandPrintsScriptFriendlyOutput();
    }

    private void assertQueryCommandPrintsScriptFriendlyOutput() throws Exception {
        String json = CliRun.of("query", "--config", configFile.toString(), "--format", "json",
                "SELECT id, started_at, checked_in, fee FROM " + lakeName("visits") + "_rt WHERE id = 2").succeeded();
        assertThat(json.strip()).isEqualTo(
                "{\"id\":2,\"started_at\":\"2024-01-03T01:00:00\",\"checked_in\":\"2024-01-01T17:05:00\",\"fee\":80000.25}");
        String csv = CliRun.of("query", "--config", configFile.toString(), "--format", "csv",
                "SELECT id, name FROM " + lakeName("doctors") + "_ro ORDER BY id").succeeded();
        assertThat(csv.lines().toList()).first().isEqualTo("id,name");
    }

    private static void insertVisits(int fromInclusive, int toExclusive) throws Exception {
        for (int id = fromInclusive; id < toExclusive; id++) {
            mysql.execute("INSERT INTO visits VALUES (" + id + ", 'p" + id + "', '2024-02-0" + (1 + id % 9) + " 20:00:00',"
                    + " NULL, " + id + ".5, '2024-02-01', '08:00:00')");
        }
    }

    private static String lakeName(String table) {
        return "clinic_" + mysql.database + "_" + table;
    }

    private static LakeQuery.Result query(String sql) throws Exception {
        return LakeQuery.over(LakeLayout.processedTables(config)).run(sql);
    }

    private static List<String> lakeRows(String table) throws Exception {
        String columns = table.equals("visits") ? COLUMNS : "id, name";
        LakeQuery query = LakeQuery.over(LakeLayout.processedTables(config));
        if (!query.tableNames().contains(lakeName(table))) {
            return List.of();
        }
        List<String> rows = new ArrayList<>();
        for (Row row : query.run("SELECT " + columns + " FROM " + lakeName(table) + " ORDER BY id").rows()) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.getArity(); i++) {
                Object v = row.getField(i);
                line.append(i == 0 ? "" : "|").append(v == null ? "NULL"
                        : v instanceof LocalDateTime t ? ISO.format(t)
                        : v instanceof java.time.LocalTime t ? DateTimeFormatter.ISO_LOCAL_TIME.format(t)
                        : v instanceof java.math.BigDecimal d ? d.toPlainString() : v.toString());
            }
            rows.add(line.toString());
        }
        return rows;
    }

    /** The source's rows rendered like {@link #lakeRows}, times shifted from UTC to WIB (+7 h). */
    private static List<String> sourceRows(String table) throws Exception {
        String columns = table.equals("visits") ? COLUMNS : "id, name";
        List<String> rows = new ArrayList<>();
        try (Statement st = mysql.connection().createStatement();
                ResultSet rs = st.executeQuery("SELECT " + columns + " FROM " + table + " ORDER BY id")) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder line = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    String type = rs.getMetaData().getColumnTypeName(i);
                    Object v = type.startsWith("DATETIME") || type.startsWith("TIMESTAMP")
                            ? rs.getObject(i, LocalDateTime.class)
                            : type.equals("TIME") ? rs.getObject(i, java.time.LocalTime.class) : rs.getObject(i);
                    line.append(i == 1 ? "" : "|").append(v == null ? "NULL"
                            : v instanceof LocalDateTime t ? ISO.format(t.plusHours(7))
                            : v instanceof java.time.LocalTime t ? DateTimeFormatter.ISO_LOCAL_TIME.format(t)
                            : v instanceof java.math.BigDecimal d ? d.toPlainString() : v.toString());
                }
                rows.add(line.toString());
            }
        }
        return rows;
    }

    private static void awaitLakeEqualsSource() throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        Map<String, List<String>> lake = Map.of();
        Map<String, List<String>> source = Map.of();
        while (System.nanoTime() < deadline) {
            source = Map.of("visits", sourceRows("visits"), "doctors", sourceRows("doctors"));
            lake = Map.of("visits", lakeRows("visits"), "doctors", lakeRows("doctors"));
            if (lake.equals(source)) {
                return;
            }
            Thread.sleep(1000);
        }
        throw new TimeoutException("Lake did not catch up with the source.\nsource: " + source + "\nlake:   " + lake);
    }
}
