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
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Changes the lake cannot hold (PostgreSQL's {@code ±infinity}) in the snapshot and in the
 * stream, among good ones: the job keeps running, and every source row is either in the lake or
 * a failed event in the control plane. After the configuration is fixed ({@code
 * out-of-range-dates: clamp}), {@code failed reprocess} brings the lake to the source, keeps a
 * later change of a key over an earlier failed one, writes each change to the change log once,
 * and marks the events; running it again changes nothing.
 */
class PoisonRecordsITCase {

    private static final String COLUMNS = "id, drug, valid_until, expires_at, checked_at";

    @TempDir
    static Path dir;

    private static LocalPostgres control;
    private static LocalPostgres pharmacy;
    private static Path configFile;

    @BeforeAll
    static void createDatabases() throws Exception {
        control = LocalPostgres.createDatabase("poison_cp");
        pharmacy = LocalPostgres.createDatabase("poison_src");
        pharmacy.execute("CREATE TABLE prescriptions (id INT PRIMARY KEY, drug TEXT NOT NULL, valid_until DATE,"
                        + " expires_at TIMESTAMP(6), checked_at TIMESTAMPTZ)",
                "INSERT INTO prescriptions (id, drug, valid_until) SELECT i, 'drug ' || i, DATE '2030-01-01' + i"
                        + " FROM generate_series(1, 10) i",
                // Poison in the snapshot.
                "INSERT INTO prescriptions VALUES (11, 'open-ended', 'infinity', NULL, NULL),"
                        + " (12, 'since always', '-infinity', 'infinity', NULL)");
        pharmacy.publish("prescriptions");
        configFile = dir.resolve("lakehouse.yaml");
        writeConfig("");
        CliRun.of("tables", "add", "pharmacy", "public.prescriptions", "--config", configFile.toString()).succeeded();
    }

    @AfterAll
    static void dropDatabases() throws Exception {
        for (AutoCloseable database : new AutoCloseable[] {pharmacy, control}) {
            if (database != null) {
                database.close();
            }
        }
    }

    private static void writeConfig(String sourceExtra) throws Exception {
        Files.writeString(configFile, """
                pipeline:
                  name: poison-records
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
                pharmacy.sourceYaml("pharmacy", dir.resolve("pharmacy-password")), sourceExtra));
    }

    @Test
    void poisonIsKeptAsideAndReprocessedOnceTheConfigurationIsFixed() throws Exception {
        LakehouseConfig config = LakehouseConfig.load(configFile, List.of());
        try (EmbeddedPipeline pipeline = EmbeddedPipeline.start(PipelineJob.prepare(config), null, false)) {
            Eventually.until(Duration.ofMinutes(2), () -> lakeIds(config).size() == 10, () -> "lake ids " + lakeIds(config));
            pharmacy.execute(
                    "INSERT INTO prescriptions (id, drug, valid_until) VALUES (13, 'drug 13', '2031-05-05')",
                    "INSERT INTO prescriptions VALUES (14, 'forever', 'infinity', NULL, NULL)",
                    "INSERT INTO prescriptions VALUES (15, 'checked', '2031-06-06', NULL, 'infinity')",
                    // A key whose change fails and which then changes again: the later change must stay.
                    "UPDATE prescriptions SET valid_until = 'infinity' WHERE id = 4",
                    "UPDATE prescriptions SET valid_until = '2035-04-04' WHERE id = 4",
                    "INSERT INTO prescriptions (id, drug, valid_until) VALUES (16, 'drug 16', '2031-07-07')",
                    // A key whose change fails and which is then deleted: reprocessing must not bring it back.
                    "INSERT INTO prescriptions VALUES (17, 'withdrawn', 'infinity', NULL, NULL)",
                    "DELETE FROM prescriptions WHERE id = 17");
            Eventually.until(Duration.ofMinutes(2), () -> lakeIds(config).contains(16) && failed(config).contains("6 failed events"),
                    () -> "lake ids " + lakeIds(config) + "\n" + failed(config));
            pipeline.cancel();
        }

        // Every source row is in the lake or behind a failed event; the job went on past them.
        List<Integer> sourceIds = sourceRows().keySet().stream().toList();
        assertThat(lakeIds(config)).containsExactlyElementsOf(sourceIds.stream().filter(id -> !List.of(11, 12, 14, 15).contains(id)).toList());
        assertThat(lakeRows(config).get(4)).isEqualTo("4|drug 4|2035-04-04|NULL|NULL");
        String listed = failed(config);
        assertThat(listed).contains("6 failed events, 6 not reprocessed")
                .containsPattern("pharmacy_" + pharmacy.database + "_prescriptions@\\d+-[0-9a-f]{16} .* failed .*valid_until")
                .containsPattern("failed .*expires_at|failed .*checked_at");
        long changesBefore = rawChanges(config);
        assertThat(changesBefore).as("snapshot rows and streamed changes that converted").isEqualTo(10 + 4);

        // Reprocessing before the fix changes nothing and says why.
        CliRun unfixed = CliRun.of("failed", "reprocess", "--config", configFile.toString());
        assertThat(unfixed.code()).isEqualTo(1);
        assertThat(unfixed.out()).contains("Reprocessed: 0 written to the lake, 6 still failing.").contains("outside 0000-01-01..9999-12-31");

        writeConfig("    out-of-range-dates: clamp\n");
        String reprocessed = CliRun.of("failed", "reprocess", "--config", configFile.toString()).succeeded();
        // Ids 4 and 17 changed again after their failed change: the processed table keeps what came later.
        assertThat(reprocessed).contains("Reprocessed: 6 written to the lake (2 to the change log only: their key changed again"
                + " later), 0 still failing.");

        LakehouseConfig fixed = LakehouseConfig.load(configFile, List.of());
        assertThat(lakeRows(fixed)).isEqualTo(sourceRows());
        assertThat(rawChanges(fixed)).as("each failed change once in the change log").isEqualTo(changesBefore + 6);
        assertThat(failed(fixed)).contains("6 failed events, 0 not reprocessed").doesNotContainPattern(" failed +\\S*(IllegalArgument|date)");

        assertThat(CliRun.of("failed", "reprocess", "--config", configFile.toString()).succeeded())
                .contains("Reprocessed: 0 written to the lake, 0 still failing.");
        // A run that wrote its events but stopped before marking them: the next run only marks them.
        control.execute("UPDATE failed_events SET reprocessed_at = NULL WHERE event_id IN"
                + " (SELECT event_id FROM failed_events ORDER BY position DESC LIMIT 2)");
        assertThat(CliRun.of("failed", "reprocess", "--config", configFile.toString()).succeeded())
                .contains("Reprocessed: 0 written to the lake, 2 already there (marked only), 0 still failing.");
        assertThat(rawChanges(fixed)).isEqualTo(changesBefore + 6);
        assertThat(lakeRows(fixed)).isEqualTo(sourceRows());
    }

    /** The source's rows as the lake holds them with out-of-range-dates: clamp. */
    private static Map<Integer, String> sourceRows() throws Exception {
        Map<Integer, String> rows = new TreeMap<>();
        for (String row : Eventually.rows(pharmacy.connection(), "SELECT " + COLUMNS.replace(", ", "::text, ") + "::text"
                + " FROM prescriptions ORDER BY id")) {
            String[] cells = row.replace("null", "NULL").split("\\|", -1);
            cells[2] = switch (cells[2]) {
                case "infinity" -> LocalDate.of(9999, 12, 31).toString();
                case "-infinity" -> "0000-01-01";
                default -> cells[2];
            };
            for (int i = 3; i <= 4; i++) {
                cells[i] = cells[i].equals("infinity") ? LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_000).toString() : cells[i];
            }
            rows.put(Integer.parseInt(cells[0]), String.join("|", cells));
        }
        return rows;
    }

    private static String lakeName() {
        return "pharmacy_" + pharmacy.database + "_prescriptions";
    }

    private static Map<Integer, String> lakeRows(LakehouseConfig config) throws Exception {
        Map<Integer, String> rows = new TreeMap<>();
        for (Row row : query(config, "SELECT " + COLUMNS + " FROM " + lakeName() + " ORDER BY id")) {
            List<String> cells = new ArrayList<>();
            for (int i = 0; i < row.getArity(); i++) {
                cells.add(row.getField(i) == null ? "NULL" : row.getField(i).toString());
            }
            rows.put((Integer) row.getField(0), String.join("|", cells));
        }
        return rows;
    }

    private static List<Integer> lakeIds(LakehouseConfig config) throws Exception {
        return List.copyOf(lakeRows(config).keySet());
    }

    private static long rawChanges(LakehouseConfig config) throws Exception {
        return query(config, "SELECT id, _cdc_seq FROM " + lakeName() + "_raw").size();
    }

    private static List<Row> query(LakehouseConfig config, String sql) throws Exception {
        List<org.apache.flink.configuration.Configuration> tables = ControlPlane.tablesOf(config, false);
        Map<String, String> paths = new TreeMap<>(LakeLayout.processedTables(config, tables));
        paths.putAll(LakeLayout.rawTables(config, tables));
        LakeQuery query = LakeQuery.over(paths);
        return query.tableNames().contains(sql.split(" FROM ", 2)[1].split(" ", 2)[0]) ? query.run(sql).rows() : List.of();
    }

    private static String failed(LakehouseConfig config) {
        return CliRun.of("failed", "list", "--config", configFile.toString()).succeeded();
    }
}
