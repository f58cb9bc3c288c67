package io.lakehousecdc.app.demo;

import io.lakehousecdc.app.StopSignal;
import io.lakehousecdc.app.config.LakeLayout;
import io.lakehousecdc.app.config.LakehouseConfig;
import io.lakehousecdc.app.feed.WarehouseFeedRunner;
import io.lakehousecdc.app.job.EmbeddedPipeline;
import io.lakehousecdc.app.job.PipelineJob;
import io.lakehousecdc.app.query.LakeQuery;
import io.lakehousecdc.app.query.LakeVersion;
import io.lakehousecdc.core.LakeZone;
import io.lakehousecdc.lake.LakeCatalog;
import io.lakehousecdc.lake.LakeStorage;

import org.apache.flink.util.FileUtils;
import org.apache.flink.util.TimeUtils;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code lakehouse demo}: the whole pipeline on the local MariaDB, with a clinic workload
 * running against it, live progress, and a closing comparison of source and lake.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Runs the pipeline against a demo clinic database on the local MariaDB,",
                "with a steady mix of inserts, updates and deletes, and compares source and lake at the end.",
                "Needs scripts/local-services.sh to have run."})
public final class DemoCommand implements Callable<Integer> {

    /** How many of a differing table's last commits the summary reads it as of. */
    private static final int COMMITS_DESCRIBED = 20;

    @Option(names = "--duration", defaultValue = "60s", paramLabel = "D",
            description = "How long the workload runs, e.g. 60s, 5min (default: ${DEFAULT-VALUE}).")
    String duration;

    @Option(names = "--rate", defaultValue = "20", paramLabel = "N", description = "Changes per second (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--rows", defaultValue = "200", paramLabel = "N", description = "Rows seeded per table (default: ${DEFAULT-VALUE}).")
    int rows;

    @Option(names = "--dir", defaultValue = ".lakehouse/demo", paramLabel = "DIR",
            description = "Where the demo keeps its config, lake and checkpoints (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--mysql", defaultValue = "127.0.0.1:3306", paramLabel = "HOST:PORT", description = "The MariaDB/MySQL server.")
    String mysql;

    @Option(names = "--database", defaultValue = "clinic_demo", paramLabel = "NAME",
            description = "Demo database to create (dropped first if it exists; default: ${DEFAULT-VALUE}).")
    String database;

    @Option(names = "--warehouse", defaultValue = "jdbc:postgresql://127.0.0.1:5432/warehouse", paramLabel = "JDBC_URL",
            description = {"PostgreSQL database the example warehouse models are fed into, in a schema named after",
                    "--database (dropped first if it exists; default: ${DEFAULT-VALUE})."})
    String warehouse;

    @Option(names = "--verbose", description = "Print stack traces of errors.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        Duration runFor = TimeUtils.parseDuration(duration);
        if (rate <= 0 || rows < 0) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "--rate must be positive and --rows not negative");
        }
        Map<String, String> env = new HashMap<>(System.getenv());
        env.putIfAbsent("LAKEHOUSE_CDC_PASSWORD", "lakehouse-cdc-local");
        env.putIfAbsent("LAKEHOUSE_ADMIN_PASSWORD", "lakehouse-local");
        String adminPassword = env.get("LAKEHOUSE_ADMIN_PASSWORD");

        Path lake = dir.resolve("lake").toAbsolutePath();
        FileUtils.deleteDirectory(lake.toFile());
        Files.createDirectories(dir);
        String schema = database.toLowerCase(Locale.ROOT);
        Path models = dir.resolve("models").toAbsolutePath();
        DemoWarehouse.writeModels(models, schema);
        DemoWarehouse dw = new DemoWarehouse(warehouse, "lakehouse", adminPassword, schema);
        dw.reset();
        Path configFile = dir.resolve("lakehouse.yaml");
        Files.writeString(configFile, config(lake, mysql, database) + warehouseConfig(warehouse, schema, models));
        LakehouseConfig config = LakehouseConfig.parse(Files.readString(configFile), configFile.toString(), List.of(), env);

        String jdbc = "jdbc:mysql://" + mysql + "/?useSSL=false&allowPublicKeyRetrieval=true&connectTimeout=5000";
        System.out.printf("Creating database %s on %s with %d rows per table...%n", database, mysql, rows);
        try (ClinicWorkload workload = connect(jdbc, adminPassword)) {
            workload.seed(rows);
            PipelineJob job = PipelineJob.prepare(config);
            StopSignal stop = StopSignal.install();
            try (EmbeddedPipeline pipeline = EmbeddedPipeline.start(job, null, false);
                    WarehouseFeedRunner feed = WarehouseFeedRunner.start(config)) {
                System.out.println("Flink web UI: " + pipeline.webUi());
                System.out.println("Warehouse: the models in " + models + " are fed into schema " + schema + " of " + warehouse);
                System.out.printf("Running %s at %d changes/s; Ctrl-C ends early. Config: %s%n", runFor, rate, configFile);
                drive(workload, pipeline, runFor, stop);
                System.out.println("Workload stopped; waiting for the last changes to be committed...");
                boolean equal = summarize(workload, pipeline, config);
                equal &= summarizeWarehouse(workload, feed, dw);
                pipeline.cancel();
                System.out.printf("Query the lake: ./lakehouse query --config %s \"SELECT * FROM clinic_%s_consultations LIMIT 5\"%n",
                        configFile, schema);
                System.out.printf("Query the warehouse: psql -h 127.0.0.1 -U lakehouse warehouse -c \"SELECT * FROM %s.rpt_daily_consultations\"%n",
                        schema);
                return equal ? 0 : 1;
            } finally {
                stop.finished();
            }
        }
    }

    private ClinicWorkload connect(String jdbc, String adminPassword) {
        try {
            return ClinicWorkload.create(jdbc, "lakehouse", adminPassword, database);
        } catch (java.sql.SQLException e) {
            throw new io.lakehousecdc.core.SetupException("Cannot prepare the demo database on " + mysql + " (" + e.getMessage()
                    + "): run sudo scripts/local-services.sh to start and configure MariaDB", e);
        }
    }

    private static String config(Path lake, String mysql, String database) {
        String host = mysql.substring(0, mysql.lastIndexOf(':'));
        String port = mysql.substring(mysql.lastIndexOf(':') + 1);
        return """
                # Written by `lakehouse demo`; local demo settings.
                pipeline:
                  name: clinic-demo
                  timezone: Asia/Jakarta
                  checkpoint-interval: 5s
                  web-ui-port: 0
                sources:
                  - id: clinic
                    type: mysql
                    hostname: %s
                    port: %s
                    username: lakehouse_cdc
                    password: ${env:LAKEHOUSE_CDC_PASSWORD}
                    server-time-zone: UTC
                lake:
                  base-path: %s
                tables:
                  - source: clinic
                    table: %s.doctors
                  - source: clinic
                    table: %s.patients
                  - source: clinic
                    table: %s.consultations
                    partition-by: started_at
                  - source: clinic
                    table: %s.prescriptions
                    type: COPY_ON_WRITE
                """.formatted(host, port, lake, database, database, database, database);
    }

    private static String warehouseConfig(String url, String schema, Path models) {
        return """
                warehouse:
                  dialect: postgres
                  jdbc-url: %s
                  username: lakehouse
                  password: ${env:LAKEHOUSE_ADMIN_PASSWORD}
                  schema: %s
                  models: %s
                  poll-interval: 2s
                """.formatted(url, schema, models);
    }

    /**
     * Waits for the feed to apply every commit the lake has, then compares the models with the
     * source: a doctor row and a current patient version per source row, a fact per
     * consultation, and the report's totals.
     */
    private static boolean summarizeWarehouse(ClinicWorkload workload, WarehouseFeedRunner feed, DemoWarehouse warehouse)
            throws Exception {
        boolean caughtUp = feed.awaitCaughtUp(Duration.ofMinutes(2));
        if (feed.failure().isPresent()) {
            System.out.println("The warehouse feed stopped: " + feed.failure().get().getMessage());
            return false;
        }
        Map<String, Long> source = workload.counts();
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("dim_doctor", String.valueOf(source.get("doctors")));
        expected.put("dim_patient (current)", String.valueOf(source.get("patients")));
        expected.put("fact_consultation", String.valueOf(source.get("consultations")));
        expected.put("rpt_daily_consultations (count)", String.valueOf(source.get("consultations")));
        expected.put("rpt_daily_consultations (revenue)", workload.consultationRevenue().toPlainString());
        Map<String, String> actual = warehouse.counts();
        System.out.println();
        System.out.printf("%-34s %12s %12s  %s%n", "warehouse", "source", "warehouse", "");
        boolean allEqual = caughtUp;
        for (Map.Entry<String, String> entry : expected.entrySet()) {
            String got = actual.get(entry.getKey());
            boolean equal = new BigDecimal(entry.getValue()).compareTo(new BigDecimal(got)) == 0;
            allEqual &= equal;
            System.out.printf("%-34s %12s %12s  %s%n", entry.getKey(), entry.getValue(), got, equal ? "equal" : "DIFFERENT");
        }
        System.out.printf("Patient history: %s versions; lake commits applied: %d%n", actual.get("dim_patient versions"),
                feed.appliedBatches());
        System.out.println(allEqual ? "Source and warehouse agree." : "Source and warehouse differ.");
        return allEqual;
    }

    private void drive(ClinicWorkload workload, EmbeddedPipeline pipeline, Duration runFor, StopSignal stop)
            throws Exception {
        long start = System.nanoTime();
        long end = start + runFor.toNanos();
        long interval = 1_000_000_000L / rate;
        long next = start;
        long nextReport = start + TimeUnit.SECONDS.toNanos(5);
        Map<String, Map<String, Long>> committed = new HashMap<>();
        while (System.nanoTime() < end && !stop.isRequested()) {
            workload.step();
            next += interval;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            if (System.nanoTime() >= nextReport) {
                report(workload, pipeline, (System.nanoTime() - start) / 1_000_000_000L, committed);
                nextReport += TimeUnit.SECONDS.toNanos(5);
            }
            if (pipeline.status().isGloballyTerminalState()) {
                pipeline.awaitTermination();
            }
        }
    }

    /**
     * One progress line per table: rows captured from the binlog, rows committed to the lake,
     * and how long ago the last commit was.
     */
    private static void report(ClinicWorkload workload, EmbeddedPipeline pipeline, long elapsedSeconds,
            Map<String, Map<String, Long>> committedByTable) throws Exception {
        System.out.printf("[%3ds] source changes: %d inserts, %d updates, %d deletes; checkpoints: %d%n", elapsedSeconds,
                workload.inserts(), workload.updates(), workload.deletes(), pipeline.completedCheckpoints());
        Map<String, Long> captured = pipeline.captured();
        for (var table : pipeline.job().tables()) {
            Map<String, Long> committed = committedByTable.computeIfAbsent(table.name(), t -> new HashMap<>());
            Instant last = null;
            for (LakeCatalog.Commit commit : LakeCatalog.writeCommits(table.path(LakeZone.PROCESSED), LakeStorage.from(pipeline.job().global()))) {
                committed.put(commit.instant(), commit.changes());
                last = commit.startedAt();
            }
            long total = committed.values().stream().mapToLong(Long::longValue).sum();
            System.out.printf("       %-15s captured %6d  committed %6d  last commit %s%n", shortName(table.name()),
                    captured.getOrDefault(table.name(), 0L), total,
                    last == null ? "none yet" : Duration.between(last, Instant.now()).toSeconds() + "s ago");
        }
    }

    private static String shortName(String lakeName) {
        return lakeName.substring(lakeName.lastIndexOf('_') + 1);
    }

    /**
     * Waits until every change made so far has been committed (two checkpoints after capture
     * stops growing), then compares row counts of source and lake per table.
     *
     * <p>A table whose count differs is read again after the next checkpoint, twice at most,
     * with the rows it held as of each of its commits: a difference that a second read does not
     * show was a read that missed part of a commit, one that stays is a loss, and either way the
     * per-commit counts say where it arose.
     */
    private boolean summarize(ClinicWorkload workload, EmbeddedPipeline pipeline, LakehouseConfig config) throws Exception {
        Map<String, Long> source = workload.counts();
        Map<String, Long> before;
        Map<String, Long> after = pipeline.captured();
        do {
            before = after;
            pipeline.awaitCheckpoints(2, Duration.ofMinutes(2));
            after = pipeline.captured();
        } while (!after.equals(before));

        Map<String, String> tables = LakeLayout.processedTables(config);
        LakeStorage storage = LakeStorage.from(config.global());
        Map<String, Long> expected = new LinkedHashMap<>();
        for (String table : ClinicWorkload.TABLES) {
            expected.put("clinic_" + database.toLowerCase(Locale.ROOT) + "_" + table, source.get(table));
        }
        Map<String, Long> lake = lakeRows(tables, LakeVersion.LATEST, storage);
        for (int read = 2; read <= 3 && !lake.equals(expected); read++) {
            for (String table : expected.keySet()) {
                if (!expected.get(table).equals(lake.get(table)) && tables.containsKey(table)) {
                    System.out.printf("%s: %d lake rows where the source has %d; rows as of each of its last commits"
                            + " (%d at most): %s%n", table, lake.get(table), expected.get(table), COMMITS_DESCRIBED,
                            rowsByCommit(table, tables.get(table), storage));
                }
            }
            pipeline.awaitCheckpoints(1, Duration.ofMinutes(2));
            lake = lakeRows(tables, LakeVersion.LATEST, storage);
            System.out.println("Read " + read + " of the lake, after one more checkpoint: " + lake);
        }
        System.out.println();
        System.out.printf("%-34s %12s %12s  %s%n", "table", "source rows", "lake rows", "");
        for (Map.Entry<String, Long> table : expected.entrySet()) {
            long s = table.getValue();
            long l = lake.getOrDefault(table.getKey(), 0L);
            System.out.printf("%-34s %12d %12d  %s%n", table.getKey(), s, l, s == l ? "equal" : "DIFFERENT");
        }
        System.out.printf("Changes made: %d inserts, %d updates, %d deletes; captured: %s%n",
                workload.inserts(), workload.updates(), workload.deletes(), after);
        boolean allEqual = lake.equals(expected);
        System.out.println(allEqual ? "Source and lake agree." : "Source and lake differ.");
        return allEqual;
    }

    private static Map<String, Long> lakeRows(Map<String, String> tables, LakeVersion version, LakeStorage storage)
            throws Exception {
        LakeQuery query = LakeQuery.over(tables, version, storage);
        Map<String, Long> rows = new LinkedHashMap<>();
        for (String name : tables.keySet()) {
            rows.put(name, ((Number) query.run("SELECT COUNT(*) FROM " + name).rows().get(0).getField(0)).longValue());
        }
        return rows;
    }

    /**
     * {@code instant=changes:rows} for each of the last commits of {@code table}, the rows read
     * as of that commit; one query each, hence only the last few.
     */
    private static String rowsByCommit(String table, String path, LakeStorage storage) throws Exception {
        Map<String, String> one = Map.of(table, path);
        List<LakeCatalog.Commit> commits = LakeCatalog.writeCommits(path, storage);
        List<String> described = new ArrayList<>();
        for (LakeCatalog.Commit commit : commits.subList(Math.max(0, commits.size() - COMMITS_DESCRIBED), commits.size())) {
            LakeVersion asOf = LakeVersion.of(commit.instant(), null, null, ZoneOffset.UTC);
            described.add(commit.instant() + "=" + commit.changes() + ":" + lakeRows(one, asOf, storage).get(table));
        }
        return String.join(" ", described);
    }
}
