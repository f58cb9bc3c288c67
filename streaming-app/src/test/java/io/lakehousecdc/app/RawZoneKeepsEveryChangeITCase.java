package io.lakehousecdc.app;

import io.lakehousecdc.app.config.LakeLayout;
import io.lakehousecdc.app.config.LakehouseConfig;
import io.lakehousecdc.app.job.EmbeddedPipeline;
import io.lakehousecdc.app.job.PipelineJob;
import io.lakehousecdc.app.query.LakeQuery;
import io.lakehousecdc.core.LakeZone;
import io.lakehousecdc.lake.LakeCatalog;
import io.lakehousecdc.lake.LakeStorage;

import org.apache.flink.types.Row;
import org.apache.flink.util.FileUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The raw zone holds exactly one row per source change, deletes included, in source order per
 * key, partitioned by WIB day; a table with the raw zone off gets none; and {@code lakehouse
 * backfill} rebuilds the processed table from the change log exactly as the streaming job wrote
 * it, whole or from an instant.
 */
class RawZoneKeepsEveryChangeITCase {

    private static final ZoneId WIB = ZoneId.of("Asia/Jakarta");
    private static final String ALL_COLUMNS = "id, patient, visits, _cdc_op, _cdc_ts, _cdc_seq, _cdc_source, _ingested_at";

    @TempDir
    static Path dir;

    private static LocalMySql mysql;
    private static LakehouseConfig config;
    private static Path configFile;

    @BeforeAll
    static void createSource() throws Exception {
        mysql = LocalMySql.createDatabase("it_raw");
        mysql.execute("CREATE TABLE patients (id INT PRIMARY KEY, patient VARCHAR(40) NOT NULL, visits INT NOT NULL)",
                "CREATE TABLE doctors (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL)",
                "INSERT INTO patients VALUES (1, 'ani', 0), (2, 'budi', 0), (3, 'citra', 0)",
                "INSERT INTO doctors VALUES (1, 'dr. dewi')");
        configFile = dir.resolve("lakehouse.yaml");
        Files.writeString(configFile, """
                pipeline:
                  name: raw-zone
                  checkpoint-interval: 1s
                  web-ui-port: 0
                sources:
                %s
                lake:
                  base-path: %s
                  compaction.delta-commits: 2
                tables:
                  - source: clinic
                    table: %s.patients
                  - source: clinic
                    table: %s.doctors
                    raw-zone: false
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
    void everyChangeIsKeptOnceAndABackfillRebuildsTheProcessedTable() throws Exception {
        LocalDate startDay = LocalDate.now(WIB);
        Map<String, Integer> expected = new TreeMap<>(Map.of("r", 3));
        try (EmbeddedPipeline job = EmbeddedPipeline.start(PipelineJob.prepare(config), null, false)) {
            awaitRows("SELECT COUNT(*) FROM " + lake("patients") + "_raw", "3");
            count(expected, "c", update("INSERT INTO patients VALUES (4, 'dodi', 0), (5, 'eka', 0)"));
            // Several changes of one key between two checkpoints, and one statement changing several keys.
            count(expected, "u", update("UPDATE patients SET visits = visits + 1 WHERE id = 1"));
            count(expected, "u", update("UPDATE patients SET visits = visits + 1 WHERE id = 1"));
            count(expected, "u", update("UPDATE patients SET visits = visits + 1 WHERE id IN (1, 2, 4)"));
            job.awaitCheckpoints(1, Duration.ofMinutes(1));
            count(expected, "d", update("DELETE FROM patients WHERE id = 3"));
            count(expected, "c", update("INSERT INTO patients VALUES (3, 'citra lagi', 7)"));
            count(expected, "d", update("DELETE FROM patients WHERE id = 5"));
            update("UPDATE doctors SET name = 'dr. dewi s.' WHERE id = 1"); // no change log
            for (int round = 0; round < 5; round++) {
                count(expected, "u", update("UPDATE patients SET visits = visits + 1 WHERE id = 2"));
                job.awaitCheckpoints(1, Duration.ofMinutes(1));
            }
            // Once the change log holds everything before it, the last change has a commit of its own.
            awaitRows("SELECT COUNT(*) FROM " + lake("patients") + "_raw", String.valueOf(total(expected)));
            count(expected, "u", update("UPDATE patients SET visits = visits + 1 WHERE id = 2"));
            int changes = total(expected);
            awaitRows("SELECT COUNT(*) FROM " + lake("patients") + "_raw", String.valueOf(changes));
            awaitRows("SELECT COUNT(*) FROM " + lake("patients"), "4");
            job.awaitCheckpoints(2, Duration.ofMinutes(1));
            job.cancel();
        }

        List<String> ops = rows("SELECT _cdc_op, COUNT(*) FROM " + lake("patients") + "_raw GROUP BY _cdc_op ORDER BY _cdc_op");
        assertThat(ops).containsExactlyElementsOf(expected.entrySet().stream().map(e -> e.getKey() + "|" + e.getValue()).toList());
        assertThat(rows("SELECT _cdc_op, patient, visits FROM " + lake("patients") + "_raw WHERE id = 3 ORDER BY _cdc_seq"))
                .containsExactly("r|citra|0", "d|citra|0", "c|citra lagi|7");
        assertThat(rows("SELECT visits FROM " + lake("patients") + "_raw WHERE id = 1 ORDER BY _cdc_seq"))
                .containsExactly("0", "1", "2", "3");
        assertThat(rows("SELECT COUNT(*) FROM " + lake("patients") + "_raw WHERE _cdc_seq > 0"))
                .as("a BIGINT column compared with an INT literal").isEqualTo(rows("SELECT COUNT(*) FROM " + lake("patients")
                        + "_raw WHERE _cdc_seq > CAST(0 AS BIGINT)")).isNotEqualTo(List.of("0"));
        assertThat(rows("SELECT COUNT(DISTINCT _cdc_seq) FROM " + lake("patients") + "_raw WHERE _cdc_op <> 'r'"))
                .as("one row per change").containsExactly(String.valueOf(ops.stream()
                        .filter(o -> !o.startsWith("r")).mapToInt(o -> Integer.parseInt(o.split("\\|")[1])).sum()));
        Path rawRoot = Path.of(java.net.URI.create(LakeLayout.basePath(config.global()))).resolve(LakeZone.RAW.directory());
        try (var files = Files.walk(rawRoot)) {
            assertThat(files.map(Path::toString)).as("tables with raw-zone: false keep no change log")
                    .anyMatch(p -> p.endsWith("patients")).noneMatch(p -> p.endsWith("doctors"));
        }
        try (var partitions = Files.list(rawRoot.resolve("clinic").resolve(mysql.database).resolve("patients"))) {
            assertThat(partitions.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("_cdc_day="))
                    .map(n -> n.substring("_cdc_day=".length())).sorted().toList())
                    .as("one partition per WIB day of the changes' commit times")
                    .isEqualTo(rows("SELECT DISTINCT CAST(_cdc_ts AS DATE) FROM " + lake("patients") + "_raw ORDER BY 1"));
        }
        assertThat(rows("SELECT DISTINCT CAST(_cdc_ts AS DATE) FROM " + lake("patients") + "_raw WHERE _cdc_op <> 'r'"))
                .as("changes made now, on the WIB calendar").isSubsetOf(startDay.toString(), LocalDate.now(WIB).toString());

        // A clustering whose commit a cancelled job left empty would read every row it rewrote
        // twice: reads refuse the table until the next start has run the clustering again.
        Path timeline = rawRoot.resolve("clinic").resolve(mysql.database).resolve("patients").resolve(".hoodie");
        Path clustering;
        try (var files = Files.list(timeline)) {
            clustering = files.filter(f -> f.getFileName().toString().endsWith(".replacecommit")).max(Path::compareTo).orElseThrow();
        }
        Files.write(clustering, new byte[0]);
        Files.deleteIfExists(clustering.resolveSibling("." + clustering.getFileName() + ".crc"));
        Files.setLastModifiedTime(clustering, FileTime.from(Instant.now().minusSeconds(60)));
        assertThatThrownBy(() -> rows("SELECT COUNT(*) FROM " + lake("patients") + "_raw"))
                .hasMessageContaining("has a clustering that a stopped job left unfinished");
        try (EmbeddedPipeline resumed = EmbeddedPipeline.start(PipelineJob.prepare(config), "latest", false)) {
            Eventually.until(Duration.ofMinutes(2), () -> Files.exists(clustering) && Files.size(clustering) > 0,
                    () -> clustering + " was not committed again");
            resumed.awaitCheckpoints(1, Duration.ofMinutes(1));
            resumed.cancel();
        }
        assertThat(rows("SELECT _cdc_op, COUNT(*) FROM " + lake("patients") + "_raw GROUP BY _cdc_op ORDER BY _cdc_op"))
                .as("each change once after the clustering ran again").isEqualTo(ops);

        List<String> streamed = rows("SELECT " + ALL_COLUMNS + " FROM " + lake("patients") + " ORDER BY id");
        assertThat(streamed).hasSize(4);
        String rawPath = LakeLayout.rawTables(config, config.tables()).get(lake("patients") + "_raw");
        List<LakeCatalog.Commit> rawCommits = LakeCatalog.writeCommits(rawPath, LakeStorage.from(config.global())).stream()
                .filter(c -> c.changes() > 0).toList();
        Path processed = Path.of(java.net.URI.create(LakeLayout.processedTables(config).get(lake("patients"))));

        String rebuilt = backfill();
        assertThat(rebuilt).startsWith("backfill: wrote 4 rows of " + lake("patients") + " from its raw zone")
                .contains(" kept at ");
        assertThat(Path.of(java.net.URI.create(rebuilt.substring(rebuilt.indexOf(" kept at ") + 9).strip()))).isDirectory();
        assertThat(rows("SELECT " + ALL_COLUMNS + " FROM " + lake("patients") + " ORDER BY id"))
                .as("the rebuilt table, metadata columns included").isEqualTo(streamed);

        // From an instant, only the changes committed since then are applied: the newest commit
        // with changes holds the last update of key 2 alone.
        FileUtils.deleteDirectory(processed.toFile());
        assertThat(backfill("--from", rawCommits.get(rawCommits.size() - 1).instant())).startsWith("backfill: wrote 1 rows");
        assertThat(rows("SELECT " + ALL_COLUMNS + " FROM " + lake("patients") + " ORDER BY id"))
                .containsExactly(streamed.get(1));
        backfill("--from", rawCommits.get(0).instant());
        assertThat(rows("SELECT " + ALL_COLUMNS + " FROM " + lake("patients") + " ORDER BY id"))
                .as("every change applied again from the first commit").isEqualTo(streamed);
        CliRun notAnInstant = CliRun.of("backfill", "--config", configFile.toString(), "--table", lake("patients"),
                "--from", "yesterday");
        assertThat(notAnInstant.code()).isNotZero();
        assertThat(notAnInstant.err()).contains("--from 'yesterday' is not an instant");
    }

    private static String backfill(String... from) {
        List<String> args = new ArrayList<>(List.of("backfill", "--config", configFile.toString(), "--table", lake("patients")));
        args.addAll(List.of(from));
        return CliRun.of(args.toArray(String[]::new)).succeeded();
    }

    private static int update(String sql) throws Exception {
        try (Statement st = mysql.connection().createStatement()) {
            return st.executeUpdate(sql);
        }
    }

    private static void count(Map<String, Integer> expected, String op, int rows) {
        expected.merge(op, rows, Integer::sum);
    }

    private static int total(Map<String, Integer> expected) {
        return expected.values().stream().mapToInt(Integer::intValue).sum();
    }

    private static String lake(String table) {
        return "clinic_" + mysql.database + "_" + table;
    }

    private static void awaitRows(String sql, String expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        List<String> last = List.of();
        while (System.nanoTime() < deadline) {
            last = rows(sql);
            if (last.equals(List.of(expected))) {
                return;
            }
            Thread.sleep(1000);
        }
        throw new TimeoutException(sql + " gave " + last + ", expected " + expected);
    }

    private static List<String> rows(String sql) throws Exception {
        Map<String, String> paths = new TreeMap<>(LakeLayout.processedTables(config));
        paths.putAll(LakeLayout.rawTables(config, config.tables()));
        LakeQuery query = LakeQuery.over(paths);
        String table = sql.split(" FROM ", 2)[1].split(" ", 2)[0];
        if (!query.tableNames().contains(table)) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (Row row : query.run(sql).rows()) {
            List<String> values = new ArrayList<>();
            for (int i = 0; i < row.getArity(); i++) {
                values.add(String.valueOf(row.getField(i)));
            }
            out.add(String.join("|", values));
        }
        return out;
    }
}
