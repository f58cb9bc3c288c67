package io.lakehousecdc.app;

import io.lakehousecdc.app.config.LakeLayout;
import io.lakehousecdc.app.config.LakehouseConfig;
import io.lakehousecdc.app.job.EmbeddedPipeline;
import io.lakehousecdc.app.job.PipelineJob;
import io.lakehousecdc.app.query.LakeQuery;
import io.lakehousecdc.core.TimeZonePolicy;
import io.lakehousecdc.lake.LakeCatalog;
import io.lakehousecdc.lake.LakeStorage;

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
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code lakehouse query --since/--until/--as-of} on a MERGE_ON_READ and a COPY_ON_WRITE table
 * that receive the same changes in three phases (snapshot; inserts, updates and deletes; more of
 * them, a delete-then-reinsert among them): a query since a phase's last commit returns exactly
 * the rows inserted or updated after it, as they are at the end of the range, and no deleted
 * row; a query as of a phase's last commit, or of a time between phases, returns exactly the
 * source as it was then, compacted file slices or not. A third table, cleaned down to one commit, refuses to go back further
 * than its oldest kept version, and bad instants get one-line errors.
 */
class SinceAndAsOfQueriesReturnExactlyThoseRowsITCase {

    private static final List<String> TABLES = List.of("mor_visits", "cow_visits");

    @TempDir
    static Path dir;

    private static LocalMySql mysql;
    private static Path configFile;
    private static LakehouseConfig config;

    @BeforeAll
    static void createSource() throws Exception {
        mysql = LocalMySql.createDatabase("it_since");
        for (String table : List.of("mor_visits", "cow_visits", "kept_visits")) {
            mysql.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, patient VARCHAR(40) NOT NULL, fee DECIMAL(10,2) NULL)");
            for (int id = 1; id <= 8; id++) {
                mysql.execute("INSERT INTO " + table + " VALUES (" + id + ", 'p" + id + "', " + id + ".25)");
            }
        }
        configFile = dir.resolve("lakehouse.yaml");
        Files.writeString(configFile, """
                pipeline:
                  name: since-it
                  checkpoint-interval: 1s
                  web-ui-port: 0
                sources:
                %s
                lake:
                  base-path: %s
                  compaction.delta-commits: 2
                tables:
                  - source: clinic
                    table: %s.mor_visits
                    type: MERGE_ON_READ
                  - source: clinic
                    table: %s.cow_visits
                    type: COPY_ON_WRITE
                  - source: clinic
                    table: %s.kept_visits
                    type: COPY_ON_WRITE
                    hudi.clean.retain_commits: 1
                """.formatted(LocalMySql.sourceYaml("clinic", dir.resolve("cdc-password")), dir.resolve("lake"),
                mysql.database, mysql.database, mysql.database));
        config = LakehouseConfig.load(configFile, List.of());
    }

    @AfterAll
    static void dropSource() throws Exception {
        if (mysql != null) {
            mysql.close();
        }
    }

    @Test
    void sinceAndAsOfReturnExactlyTheRowsOfTheRange() throws Exception {
        Map<String, String> snapshot1;
        Map<String, String> snapshot2;
        Map<String, String> firstCommits = new LinkedHashMap<>();
        Map<String, String> secondCommits = new LinkedHashMap<>();
        String betweenPhases;
        try (EmbeddedPipeline pipeline = EmbeddedPipeline.start(PipelineJob.prepare(config), null, false)) {
            snapshot1 = caughtUp(pipeline, "mor_visits");
            caughtUp(pipeline, "cow_visits");
            TABLES.forEach(t -> firstCommits.put(t, newestCommit(t)));
            String keptFirst = newestCommit("kept_visits");
            betweenPhases = LocalDateTime.ofInstant(Instant.now(), TimeZonePolicy.WIB).toString();

            for (String t : List.of("mor_visits", "cow_visits", "kept_visits")) {
                mysql.execute("INSERT INTO " + t + " VALUES (9, 'p9', 9.00), (10, 'p10', NULL)",
                        "UPDATE " + t + " SET fee = 2.50 WHERE id = 2",
                        "UPDATE " + t + " SET patient = 'p3 once' WHERE id = 3",
                        "UPDATE " + t + " SET patient = 'p3 twice' WHERE id = 3",
                        "DELETE FROM " + t + " WHERE id IN (4, 5)");
            }
            snapshot2 = caughtUp(pipeline, "mor_visits");
            caughtUp(pipeline, "cow_visits");
            TABLES.forEach(t -> secondCommits.put(t, newestCommit(t)));
            // Versions as of earlier commits then lie in the file slices before the compaction.
            awaitCompaction("mor_visits");

            for (String t : List.of("mor_visits", "cow_visits", "kept_visits")) {
                mysql.execute("UPDATE " + t + " SET fee = 99.99 WHERE id = 9",
                        "INSERT INTO " + t + " VALUES (5, 'p5 again', 5.55), (11, 'p11', 11.11)",
                        "DELETE FROM " + t + " WHERE id = 10",
                        "UPDATE " + t + " SET fee = NULL WHERE id = 6",
                        "UPDATE " + t + " SET patient = CONCAT(patient, '+') WHERE id <= 3");
            }
            caughtUp(pipeline, "mor_visits");
            caughtUp(pipeline, "cow_visits");
            caughtUp(pipeline, "kept_visits");
            awaitCleanedPast("kept_visits", keptFirst);
            pipeline.cancel();

            assertOldVersionsOfACleanedTableAreRefused(keptFirst);
        }
        Map<String, String> snapshot3 = sourceRows("mor_visits");

        for (String t : TABLES) {
            String first = firstCommits.get(t);
            String second = secondCommits.get(t);
            assertThat(query(t, "--as-of", first)).as("%s as of %s", t, first).isEqualTo(snapshot1);
            assertThat(query(t, "--as-of", second)).as("%s as of %s", t, second).isEqualTo(snapshot2);
            assertThat(query(t, "--as-of", betweenPhases)).as("%s as of %s", t, betweenPhases).isEqualTo(snapshot1);
            assertThat(query(t)).isEqualTo(snapshot3);

            assertThat(query(t, "--since", first)).as("%s since %s", t, first)
                    .isEqualTo(only(snapshot3, 1, 2, 3, 5, 6, 9, 11));
            assertThat(query(t, "--since", first, "--until", second)).as("%s since %s until %s", t, first, second)
                    .isEqualTo(only(snapshot2, 2, 3, 9, 10));
            assertThat(query(t, "--since", second)).as("%s since %s", t, second)
                    .isEqualTo(only(snapshot3, 1, 2, 3, 5, 6, 9, 11));
            assertThat(query(t, "--since", betweenPhases, "--until", second)).isEqualTo(only(snapshot2, 2, 3, 9, 10));
            assertThat(query(t, "--since", newestCommit(t))).isEmpty();
        }
        // Phase three changed every key phase two changed, so the ranges above agree; this one
        // tells them apart: keys changed in phase two only.
        String mor = lakeName("mor_visits");
        assertThat(query("mor_visits", "--since", firstCommits.get("mor_visits"), "--until", secondCommits.get("mor_visits")))
                .containsOnlyKeys("2", "3", "9", "10");
        assertThat(rowsOf(CliRun.of("query", "--config", configFile.toString(), "--format", "csv",
                "--as-of", firstCommits.get("mor_visits"), "SELECT id, patient, fee FROM " + mor + "_rt ORDER BY id")
                .succeeded())).isEqualTo(snapshot1);

        String hinted = "SELECT id, patient, fee FROM " + mor + " /*+ OPTIONS('hoodie.datasource.query.type'='incremental',"
                + " 'read.start-commit'='earliest', 'read.end-commit'='" + firstCommits.get("mor_visits") + "') */ ORDER BY id";
        assertThat(rowsOf(CliRun.of("query", "--config", configFile.toString(), "--format", "csv", hinted).succeeded()))
                .isEqualTo(snapshot1);

        assertCommitListAndErrors();
    }

    private static void assertOldVersionsOfACleanedTableAreRefused(String keptFirst) {
        String oldest = LakeCatalog.oldestReadableInstant(path("kept_visits"), LakeStorage.defaults()).orElseThrow();
        CliRun refused = CliRun.of("query", "--config", configFile.toString(), "--as-of", keptFirst,
                "SELECT COUNT(*) FROM " + lakeName("kept_visits"));
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err().lines().findFirst().orElseThrow()).isEqualTo("error: --as-of " + keptFirst
                + " is older than the oldest version of " + lakeName("kept_visits") + " still kept, " + oldest
                + " (older file versions are cleaned): give --as-of " + oldest + " or later");
        String commits = CliRun.of("query", "--config", configFile.toString(), "--commits", lakeName("kept_visits")).err();
        assertThat(commits).contains("--as-of and --until reach back to " + oldest);
        // Changes since a cleaned commit need only the newest version.
        assertThat(CliRun.of("query", "--config", configFile.toString(), "--since", keptFirst,
                "SELECT COUNT(*) FROM " + lakeName("kept_visits")).code()).isZero();
    }

    private static void assertCommitListAndErrors() {
        String mor = lakeName("mor_visits");
        List<String> listed = CliRun.of("query", "--config", configFile.toString(), "--format", "csv", "--commits", mor)
                .succeeded().lines().toList();
        List<LakeCatalog.Commit> commits = LakeCatalog.writeCommits(path("mor_visits"), LakeStorage.defaults());
        assertThat(listed.get(0)).isEqualTo("instant,action,completed_at,inserted,updated,deleted");
        assertThat(listed.subList(1, listed.size())).extracting(line -> line.split(",")[0] + "," + line.split(",")[1])
                .containsExactlyElementsOf(commits.stream().map(c -> c.instant() + ",deltacommit").toList());
        assertThat(CliRun.of("query", "--config", configFile.toString(), "--format", "csv", "--commits", lakeName("cow_visits"))
                .succeeded()).contains(",commit,");

        String newest = commits.get(commits.size() - 1).instant();
        String later = String.valueOf(Long.parseLong(newest) + 1000);
        assertOneLineError(1, "error: --as-of " + later + " is after the newest commit of " + mor + ", " + newest
                + ": pick an instant from lakehouse query --commits " + mor, "--as-of", later, "SELECT * FROM " + mor);
        assertOneLineError(2, "--as-of 'yesterday' is neither a commit instant (17 digits, e.g. 20261127101500123, see"
                + " lakehouse query --commits TABLE) nor a time in Asia/Jakarta (e.g. 2026-11-27T10:15:00): fix --as-of",
                "--as-of", "yesterday", "SELECT * FROM " + mor);
        assertOneLineError(1, "error: No lake table named clinic_nope_visits: tables are named <source>_<database>_<table>"
                + " (lakehouse tables list shows them)", "--commits", "clinic_nope_visits");
        assertOneLineError(1, "error: No lake table or view named " + mor + "_ro", "--as-of", newest,
                "SELECT * FROM " + mor + "_ro");
        assertOneLineError(1, "error: Hudi's incremental read from a given commit ('read.start-commit') needs Hive classes"
                + " that this application leaves out: use lakehouse query --since INSTANT instead",
                "SELECT * FROM " + mor + " /*+ OPTIONS('hoodie.datasource.query.type'='incremental',"
                        + " 'read.start-commit'='" + newest + "') */");
    }

    private static void assertOneLineError(int code, String firstLine, String... args) {
        List<String> all = new ArrayList<>(List.of("query", "--config", configFile.toString()));
        all.addAll(List.of(args));
        CliRun run = CliRun.of(all.toArray(String[]::new));
        assertThat(run.code()).as("exit code of %s (stderr: %s)", all, run.err()).isEqualTo(code);
        assertThat(run.err().lines().findFirst().orElseThrow()).startsWith(firstLine);
    }

    /** The lake table of source table {@code table} through {@code lakehouse query} with {@code options}, by id. */
    private static Map<String, String> query(String table, String... options) {
        List<String> args = new ArrayList<>(List.of("query", "--config", configFile.toString(), "--format", "csv"));
        args.addAll(List.of(options));
        args.add("SELECT id, patient, fee FROM " + lakeName(table) + " ORDER BY id");
        return rowsOf(CliRun.of(args.toArray(String[]::new)).succeeded());
    }

    private static Map<String, String> rowsOf(String csv) {
        Map<String, String> rows = new LinkedHashMap<>();
        csv.lines().skip(1).forEach(line -> rows.put(line.substring(0, line.indexOf(',')), line));
        return rows;
    }

    private static Map<String, String> only(Map<String, String> rows, Integer... ids) {
        Set<String> keep = Set.of(ids).stream().map(String::valueOf).collect(java.util.stream.Collectors.toSet());
        Map<String, String> kept = new LinkedHashMap<>(rows);
        kept.keySet().retainAll(keep);
        return kept;
    }

    /**
     * Waits until the lake table equals the source, then for two more checkpoints, so that the
     * commit that made it so is fully written; returns the source's rows.
     */
    private static Map<String, String> caughtUp(EmbeddedPipeline pipeline, String table) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        Map<String, String> source = Map.of();
        Map<String, String> lake = Map.of();
        while (System.nanoTime() < deadline) {
            source = sourceRows(table);
            LakeQuery query = LakeQuery.over(Map.of(lakeName(table), path(table)));
            lake = query.tableNames().isEmpty() ? Map.of()
                    : rowsOf(csv(query.run("SELECT id, patient, fee FROM " + lakeName(table) + " ORDER BY id")));
            if (lake.equals(source)) {
                pipeline.awaitCheckpoints(2, Duration.ofMinutes(1));
                return source;
            }
            Thread.sleep(500);
        }
        throw new TimeoutException(table + " did not catch up.\nsource: " + source + "\nlake:   " + lake);
    }

    private static void awaitCleanedPast(String table, String instant) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<String> oldest = LakeCatalog.oldestReadableInstant(path(table), LakeStorage.defaults());
            if (oldest.isPresent() && oldest.get().compareTo(instant) > 0) {
                return;
            }
            Thread.sleep(500);
        }
        throw new TimeoutException(table + " was not cleaned past " + instant + ": "
                + LakeCatalog.writeCommits(path(table), LakeStorage.defaults()));
    }

    private static void awaitCompaction(String table) throws Exception {
        Path timeline = Path.of(java.net.URI.create(path(table))).resolve(".hoodie");
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (System.nanoTime() < deadline) {
            try (var files = Files.list(timeline)) {
                if (files.anyMatch(f -> f.getFileName().toString().endsWith(".commit"))) {
                    return;
                }
            }
            Thread.sleep(500);
        }
        throw new TimeoutException(table + " was not compacted");
    }

    private static String csv(LakeQuery.Result result) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        io.lakehousecdc.app.query.ResultFormat.CSV.print(result, new java.io.PrintStream(out, true,
                java.nio.charset.StandardCharsets.UTF_8));
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The source's rows in the CSV form {@code lakehouse query --format csv} prints them, by id. */
    private static Map<String, String> sourceRows(String table) throws Exception {
        List<Row> rows = new ArrayList<>();
        try (Statement st = mysql.connection().createStatement();
                ResultSet rs = st.executeQuery("SELECT id, patient, fee FROM " + table + " ORDER BY id")) {
            while (rs.next()) {
                rows.add(Row.of(rs.getInt(1), rs.getString(2), rs.getBigDecimal(3)));
            }
        }
        return rowsOf(csv(new LakeQuery.Result(List.of("id", "patient", "fee"), rows)));
    }

    private static String newestCommit(String table) {
        List<LakeCatalog.Commit> commits = LakeCatalog.writeCommits(path(table), LakeStorage.defaults());
        return commits.get(commits.size() - 1).instant();
    }

    private static String lakeName(String table) {
        return "clinic_" + mysql.database + "_" + table;
    }

    private static String path(String table) {
        return LakeLayout.processedTables(config).get(lakeName(table));
    }
}
