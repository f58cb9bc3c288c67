package io.lakehousecdc.app.bench;

import io.lakehousecdc.app.config.LakeLayout;
import io.lakehousecdc.app.config.LakehouseConfig;
import io.lakehousecdc.app.demo.ClinicWorkload;
import io.lakehousecdc.app.query.LakeQuery;
import io.lakehousecdc.core.SetupException;
import io.lakehousecdc.lake.LakeOptions;
import io.lakehousecdc.lake.LakeStorage;

import org.apache.flink.util.FileUtils;
import org.apache.flink.util.TimeUtils;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/**
 * {@code lakehouse bench}: the same workload through our pipeline, the plain Flink SQL pipeline
 * and the source alone, one after the other, each in a JVM of its own; prints their figures and
 * ratios and writes them as JSON.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measures throughput, freshness and memory of the pipeline against the plain Flink SQL",
                "pipeline (mysql-cdc table into a hudi table) and the source alone (the ceiling), on the local MariaDB.",
                "Needs scripts/local-services.sh to have run."})
public final class BenchCommand implements Callable<Integer> {

    enum Scenario { SNAPSHOT, STREAM, FRESHNESS }

    @Option(names = "--scenario", defaultValue = "snapshot", paramLabel = "NAME",
            description = "snapshot: pre-existing rows until all are committed; stream: rising rates until the pipeline"
                    + " falls behind; freshness: source commit to lake visibility at a fixed rate (default: ${DEFAULT-VALUE}).")
    Scenario scenario;

    @Option(names = "--rows", paramLabel = "N",
            description = "Rows in the table before the pipeline starts (default: 1000000 for snapshot, 10000 otherwise).")
    Integer rows;

    @Option(names = "--rate", defaultValue = "1000", paramLabel = "N", description = "freshness: changes per second (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--duration", defaultValue = "60s", paramLabel = "D", description = "freshness: how long the changes run (default: ${DEFAULT-VALUE}).")
    String duration;

    @Option(names = "--start-rate", defaultValue = "500", paramLabel = "N", description = "stream: the first rate; it doubles each step (default: ${DEFAULT-VALUE}).")
    int startRate;

    @Option(names = "--max-rate", defaultValue = "64000", paramLabel = "N", description = "stream: the highest rate tried (default: ${DEFAULT-VALUE}).")
    int maxRate;

    @Option(names = "--step", defaultValue = "30s", paramLabel = "D", description = "stream: how long each rate runs (default: ${DEFAULT-VALUE}).")
    String step;

    @Option(names = "--parallelism", defaultValue = "1", paramLabel = "N", description = "Of every pipeline (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(names = "--checkpoint-interval", defaultValue = "10s", paramLabel = "D",
            description = "Of every pipeline; lake commits happen on checkpoints (default: ${DEFAULT-VALUE}).")
    String checkpointInterval;

    @Option(names = "--pipelines", defaultValue = "ours,plain,ceiling", split = ",", paramLabel = "LIST",
            description = "Which pipelines to run, in order (default: ${DEFAULT-VALUE}).")
    List<BenchPipeline> pipelines;

    @Option(names = "--raw-zone", defaultValue = "true", arity = "1", paramLabel = "BOOL",
            description = {"ours: also append every change to the table's raw-zone change log, as lakehouse run does",
                    "by default; false leaves ours the same work as plain (default: ${DEFAULT-VALUE})."})
    boolean rawZone;

    @Option(names = "--heap", defaultValue = "1g", paramLabel = "SIZE", description = "Java heap of each pipeline's JVM (default: ${DEFAULT-VALUE}).")
    String heap;

    @Option(names = "--profile", description = "Record each pipeline with Java Flight Recorder and print where its CPU time goes.")
    boolean profile;

    @Option(names = "--mysql", defaultValue = "127.0.0.1:3306", paramLabel = "HOST:PORT", description = "The MariaDB/MySQL server.")
    String mysql;

    @Option(names = "--database", defaultValue = "lakehouse_bench", paramLabel = "NAME",
            description = "Database to create for the benchmark (dropped first if it exists; default: ${DEFAULT-VALUE}).")
    String database;

    @Option(names = "--dir", defaultValue = ".lakehouse/bench", paramLabel = "DIR",
            description = "Where lakes, checkpoints, logs and results go (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--output", paramLabel = "FILE", description = "The JSON results (default: DIR/<scenario>.json).")
    Path output;

    @Option(names = "--verbose", description = "Print stack traces of errors.")
    boolean verbose;

    private Duration interval;

    @Override
    public Integer call() throws Exception {
        interval = TimeUtils.parseDuration(checkpointInterval);
        int tableRows = rows != null ? rows : scenario == Scenario.SNAPSHOT ? 1_000_000 : 10_000;
        if (tableRows < 1 || rate < 1 || startRate < 1 || parallelism < 1 || pipelines.isEmpty()) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "--rows, --rate, --start-rate and --parallelism must be positive, and --pipelines not empty");
        }
        Path results = output != null ? output : dir.resolve(scenario.name().toLowerCase(java.util.Locale.ROOT) + ".json");
        BenchReport report = new BenchReport(scenario.name().toLowerCase(java.util.Locale.ROOT), settings(tableRows));
        System.out.printf("Benchmark %s: %s; parallelism %d, checkpoints every %s.%n", report.scenario(),
                describe(tableRows), parallelism, TimeUtils.formatWithHighestUnit(interval));

        if (scenario == Scenario.SNAPSHOT) {
            seed(tableRows).close();
        }
        for (BenchPipeline pipeline : pipelines) {
            System.out.printf("%n== %s: %s%n", pipeline.label(), describe(pipeline));
            Map<String, Object> figures;
            if (scenario == Scenario.SNAPSHOT) {
                figures = run(pipeline, null, (run, workload) -> snapshot(run, tableRows));
            } else {
                try (ClinicWorkload workload = seed(tableRows)) {
                    figures = run(pipeline, workload, scenario == Scenario.STREAM
                            ? (r, w) -> stream(r, w, tableRows) : (r, w) -> freshness(r, w, tableRows));
                }
            }
            report.add(pipeline.label(), figures);
            if (profile) {
                FlightRecordings.Summary summary = FlightRecordings.summarize(profileDir().resolve(pipeline.label() + ".jfr"));
                report.addProfile(pipeline.label(), summary);
                summary.print(System.out);
            }
        }
        System.out.println();
        report.print(System.out);
        report.write(results);
        System.out.println("Results: " + results);
        return 0;
    }

    private String describe(int tableRows) {
        return switch (scenario) {
            case SNAPSHOT -> String.format("%,d rows until all are committed", tableRows);
            case STREAM -> String.format("%,d rows, then rising rates from %,d/s, %s each", tableRows, startRate, step);
            case FRESHNESS -> String.format("%,d rows, then %,d changes/s for %s", tableRows, rate, duration);
        };
    }

    private String describe(BenchPipeline pipeline) {
        return switch (pipeline) {
            case OURS -> "lakehouse run (binlog to the processed zone" + (rawZone ? " and the raw zone" : "")
                    + ", WIB times, failed events kept)";
            case PLAIN -> "Flink SQL: mysql-cdc table INSERT INTO a hudi table";
            case CEILING -> "mysql-cdc table into a counting sink";
        };
    }

    private Map<String, Object> settings(int tableRows) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("rows", tableRows);
        switch (scenario) {
            case STREAM -> {
                settings.put("start_rate", startRate);
                settings.put("max_rate", maxRate);
                settings.put("step", step);
            }
            case FRESHNESS -> {
                settings.put("rate", rate);
                settings.put("duration", duration);
            }
            default -> { }
        }
        settings.put("parallelism", parallelism);
        settings.put("checkpoint_interval", checkpointInterval);
        settings.put("heap", heap);
        settings.put("raw_zone", rawZone);
        return settings;
    }

    /** Creates the benchmark database afresh with {@code tableRows} consultations. */
    private ClinicWorkload seed(int tableRows) throws SQLException {
        String jdbc = "jdbc:mysql://" + mysql + "/?useSSL=false&allowPublicKeyRetrieval=true&connectTimeout=5000"
                + "&rewriteBatchedStatements=true";
        String password = System.getenv().getOrDefault("LAKEHOUSE_ADMIN_PASSWORD", "lakehouse-local");
        long start = System.nanoTime();
        ClinicWorkload workload;
        try {
            workload = ClinicWorkload.create(jdbc, "lakehouse", password, database);
        } catch (SQLException e) {
            throw new SetupException("Cannot create the benchmark database on " + mysql + " (" + e.getMessage()
                    + "): run sudo scripts/local-services.sh to start and configure MariaDB", e);
        }
        workload.seedConsultations(tableRows);
        System.out.printf("Seeded %s.consultations with %,d rows in %.1f s.%n", database, tableRows, (System.nanoTime() - start) / 1e9);
        return workload;
    }

    /** A pipeline while it runs: its worker, when its job started, and how far it has got. */
    private record Run(BenchPipeline pipeline, WorkerProcess worker, long started, Progress progress) {

        /** Waits for the first point that satisfies {@code goal}; fails if nothing moves for {@code stall}. */
        Progress.Point await(Predicate<Progress.Point> goal, String what, Duration stall) throws InterruptedException {
            long lastChange = System.currentTimeMillis();
            int seen = 0;
            while (true) {
                List<Progress.Point> points = progress.points();
                for (Progress.Point p : points) {
                    if (goal.test(p)) {
                        return p;
                    }
                }
                if (points.size() != seen) {
                    seen = points.size();
                    lastChange = System.currentTimeMillis();
                }
                worker.checkAlive();
                if (System.currentTimeMillis() - lastChange > stall.toMillis()) {
                    throw new IllegalStateException(pipeline.label() + " made no progress for " + stall.toSeconds()
                            + " s while waiting for " + what);
                }
                Thread.sleep(100);
            }
        }
    }

    private interface Measurement {
        Map<String, Object> measure(Run run, ClinicWorkload workload) throws Exception;
    }

    private Map<String, Object> run(BenchPipeline pipeline, ClinicWorkload workload, Measurement measurement) throws Exception {
        Path home = dir.resolve(pipeline.label()).toAbsolutePath();
        FileUtils.deleteDirectory(home.toFile());
        Files.createDirectories(home);
        Properties settings = new Properties();
        settings.setProperty("host", mysql.substring(0, mysql.lastIndexOf(':')));
        settings.setProperty("port", mysql.substring(mysql.lastIndexOf(':') + 1));
        settings.setProperty("username", "lakehouse_cdc");
        settings.setProperty("database", database);
        settings.setProperty("parallelism", String.valueOf(parallelism));
        settings.setProperty("checkpoint-interval", interval.toString());
        settings.setProperty("checkpoint-dir", home.resolve("checkpoints").toUri().toString());
        settings.setProperty("compaction-delta-commits", String.valueOf(LakeOptions.COMPACTION_DELTA_COMMITS.defaultValue()));
        String lakeTable = switch (pipeline) {
            case OURS -> oursConfig(home, settings);
            case PLAIN -> home.resolve("lake").toString();
            case CEILING -> null;
        };
        settings.setProperty("lake-path", String.valueOf(lakeTable));
        Path settingsFile = home.resolve("worker.properties");
        try (Writer out = Files.newBufferedWriter(settingsFile)) {
            settings.store(out, "bench worker settings");
        }

        List<Progress.Point> seen = Collections.synchronizedList(new ArrayList<>());
        Progress progress = lakeTable != null ? new LakeProgress(lakeTable, LAKE_STORAGE, scenario != Scenario.SNAPSHOT) : new Progress() {
            @Override
            public List<Point> points() {
                synchronized (seen) {
                    return List.copyOf(seen);
                }
            }
        };
        Map<String, Object> figures;
        WorkerProcess worker = WorkerProcess.start(pipeline, settingsFile, heap, home.resolve("logs"),
                profile ? profileDir() : null, seen);
        try {
            long started = worker.awaitStarted(180_000);
            figures = measurement.measure(new Run(pipeline, worker, started, progress), workload);
        } finally {
            worker.close();
            if (progress instanceof LakeProgress lake) {
                lake.close();
            }
        }
        figures.put("peak_rss_mib", worker.peakRssBytes() / (1024 * 1024));
        if (lakeTable != null) {
            long lakeRows = count(lakeTable);
            long expected = workload == null ? rows(figures) : workload.counts().get("consultations");
            figures.put("lake_rows", lakeRows);
            figures.put("lake_equals_source", lakeRows == expected);
            System.out.printf("  lake rows %,d, source rows %,d: %s%n", lakeRows, expected, lakeRows == expected ? "equal" : "DIFFERENT");
        }
        return figures;
    }

    private static long rows(Map<String, Object> figures) {
        return ((Number) figures.get("rows")).longValue();
    }

    private String oursConfig(Path home, Properties settings) throws IOException {
        String config = """
                # Written by `lakehouse bench`.
                pipeline:
                  name: bench
                  timezone: Asia/Jakarta
                  checkpoint-interval: %s
                  parallelism: %d
                  web-ui-port: 0
                  checkpoint-dir: %s
                sources:
                  - id: bench
                    type: mysql
                    hostname: %s
                    port: %s
                    username: lakehouse_cdc
                    password: ${env:LAKEHOUSE_CDC_PASSWORD}
                    server-time-zone: UTC
                lake:
                  base-path: %s
                tables:
                  - source: bench
                    table: %s.consultations
                    partition-by: started_at
                    raw-zone: %s
                """.formatted(TimeUtils.formatWithHighestUnit(interval), parallelism, settings.getProperty("checkpoint-dir"),
                settings.getProperty("host"), settings.getProperty("port"), home.resolve("lake"), database, rawZone);
        Path file = home.resolve("lakehouse.yaml");
        Files.writeString(file, config);
        settings.setProperty("config", file.toString());
        LakehouseConfig parsed = LakehouseConfig.parse(config, file.toString(), List.of(), Map.of("LAKEHOUSE_CDC_PASSWORD", ""));
        return LakeLayout.processedTables(parsed).values().iterator().next();
    }

    private Map<String, Object> snapshot(Run run, int tableRows) throws InterruptedException {
        Progress.Point done = run.await(p -> p.rows() >= tableRows, "all rows to be committed", Duration.ofMinutes(5));
        double seconds = (done.at() - run.started()) / 1000.0;
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("rows", tableRows);
        figures.put("seconds", BenchReport.round(seconds));
        figures.put("rows_per_s", BenchReport.round(tableRows / seconds));
        System.out.printf("  %,d rows committed %.1f s after the job started: %,.0f rows/s%n", tableRows, seconds, tableRows / seconds);
        return figures;
    }

    /** Waits until the pipeline holds the seeded rows, so that changes are measured from the binlog. */
    private static void awaitSeeded(Run run, int tableRows) throws InterruptedException {
        run.await(p -> p.rows() >= tableRows, "the seeded rows", Duration.ofMinutes(5));
    }

    private Map<String, Object> freshness(Run run, ClinicWorkload workload, int tableRows) throws Exception {
        awaitSeeded(run, tableRows);
        Duration runFor = TimeUtils.parseDuration(duration);
        long achieved;
        long first;
        long last;
        Traffic traffic = Traffic.start(workload, rate);
        try {
            first = traffic.baseRevision() + 1;
            Thread.sleep(runFor.toMillis());
        } finally {
            traffic.close();
        }
        last = traffic.lastRevision();
        achieved = last - first + 1;
        awaitLastChange(run, last);
        List<Progress.Point> points = run.progress().points();
        long[] latencies = new long[(int) achieved];
        int visible = 0;
        int at = 0;
        for (long revision = first; revision <= last; revision++) {
            while (at < points.size() && points.get(at).revision() < revision) {
                at++;
            }
            if (at == points.size()) {
                break;
            }
            latencies[visible++] = points.get(at).at() - traffic.committedAt(revision);
        }
        long[] measured = Arrays.copyOf(latencies, visible);
        Arrays.sort(measured);
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("changes", achieved);
        figures.put("changes_per_s", BenchReport.round(achieved / (runFor.toMillis() / 1000.0)));
        figures.put("not_visible", achieved - visible);
        figures.put("p50_ms", percentile(measured, 50));
        figures.put("p95_ms", percentile(measured, 95));
        figures.put("p99_ms", percentile(measured, 99));
        figures.put("max_ms", measured.length == 0 ? -1 : measured[measured.length - 1]);
        System.out.printf("  %,d changes at %,.0f/s; source commit to visible: p50 %,d ms, p95 %,d ms, p99 %,d ms%n",
                achieved, achieved / (runFor.toMillis() / 1000.0), figures.get("p50_ms"), figures.get("p95_ms"), figures.get("p99_ms"));
        return figures;
    }

    /** Waits, while the pipeline makes progress, until the traffic's last change is visible. */
    private void awaitLastChange(Run run, long last) throws InterruptedException {
        try {
            run.await(p -> p.revision() >= last, "the last change", interval.multipliedBy(3).plusSeconds(30));
        } catch (IllegalStateException e) {
            System.out.println("  " + e.getMessage());
        }
    }

    private static long percentile(long[] sorted, int percent) {
        if (sorted.length == 0) {
            return -1;
        }
        int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, index)];
    }

    /**
     * Raises the rate step by step while the pipeline keeps up. It keeps up when, at the end of a
     * step, the oldest change it has not made visible is younger than two checkpoint intervals
     * plus five seconds (a change waits for the next checkpoint, which then commits) and the
     * source took the rate.
     */
    private Map<String, Object> stream(Run run, ClinicWorkload workload, int tableRows) throws Exception {
        awaitSeeded(run, tableRows);
        Duration stepFor = TimeUtils.parseDuration(step);
        long bound = interval.multipliedBy(2).plusSeconds(5).toMillis();
        List<Map<String, Object>> steps = new ArrayList<>();
        int sustained = 0;
        double sustainedApplied = 0;
        Traffic traffic = Traffic.start(workload, startRate);
        try {
            for (int r = startRate; r <= maxRate; r *= 2) {
                traffic.rate(r);
                long start = System.currentTimeMillis();
                long startRevision = traffic.lastRevision();
                Thread.sleep(stepFor.toMillis());
                long end = System.currentTimeMillis();
                long made = traffic.lastRevision() - startRevision;
                awaitCaughtUp(run, end);
                Progress.Point before = run.progress().at(start);
                Progress.Point after = run.progress().at(end);
                long visible = after.revision();
                long oldestPending = Math.min(visible, traffic.revisionAt(end)) + 1;
                long lag = oldestPending > traffic.revisionAt(end) ? 0 : end - traffic.committedAt(oldestPending);
                double seconds = (end - start) / 1000.0;
                double offered = made / seconds;
                // Between the commits nearest the step's ends, so that commit timing does not skew it.
                double applied = after.at() > before.at() && before.at() > 0
                        ? (after.revision() - before.revision()) * 1000.0 / (after.at() - before.at()) : 0;
                boolean sourceKeptUp = offered >= 0.95 * r;
                boolean keptUp = lag <= bound && sourceKeptUp;
                String verdict = keptUp ? "" : lag > bound ? "  (fell behind)"
                        : "  (the source database could not take this rate on this machine)";
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("rate", r);
                s.put("offered_per_s", BenchReport.round(offered));
                s.put("applied_per_s", BenchReport.round(applied));
                s.put("lag_ms", lag);
                s.put("kept_up", keptUp);
                steps.add(s);
                System.out.printf("  rate %,6d/s: source took %,8.0f/s, applied %,8.0f/s, lag %,6d ms%s%n", r, offered, applied, lag, verdict);
                if (!keptUp) {
                    break;
                }
                sustained = r;
                sustainedApplied = applied;
            }
        } finally {
            traffic.close();
        }
        awaitLastChange(run, traffic.lastRevision());
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("sustained_rate_per_s", sustained);
        figures.put("applied_at_sustained_per_s", BenchReport.round(sustainedApplied));
        figures.put("lag_bound_ms", bound);
        figures.put("steps", steps);
        return figures;
    }

    /** Gives the lake follower time to read every commit that completed before {@code at}. */
    private static void awaitCaughtUp(Run run, long at) throws InterruptedException {
        if (run.progress() instanceof LakeProgress lake) {
            long deadline = System.currentTimeMillis() + 30_000;
            while (lake.polledSince() < at && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
        } else {
            Thread.sleep(500);
        }
    }

    /** The bench writes its lakes on local disk, without lake.s3 settings. */
    private static final LakeStorage LAKE_STORAGE = LakeStorage.defaults();

    private static long count(String lakeTable) throws Exception {
        Object count = LakeQuery.over(Map.of("bench", lakeTable), LAKE_STORAGE).run("SELECT COUNT(*) FROM bench").rows().get(0).getField(0);
        return ((Number) count).longValue();
    }

    private Path profileDir() {
        return dir.resolve("profiles").resolve(scenario.name().toLowerCase(java.util.Locale.ROOT)).toAbsolutePath();
    }
}
