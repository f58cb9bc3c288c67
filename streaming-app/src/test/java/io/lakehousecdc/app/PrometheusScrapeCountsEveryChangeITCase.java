package io.lakehousecdc.app;

import io.lakehousecdc.app.config.LakehouseConfig;
import io.lakehousecdc.app.job.EmbeddedPipeline;
import io.lakehousecdc.app.job.PipelineJob;
import io.lakehousecdc.core.TableMetrics;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the pipeline on two MariaDB tables with the Prometheus reporter on, makes snapshot rows,
 * inserts, updates, deletes and one change that cannot be converted, and scrapes the reporter
 * over HTTP: every change is counted once per table on the read side and on the write side, the
 * failed one as a failed event, the gauges are plausible, Flink's own job metrics are there, and
 * every metric the alert rules use is among the scraped ones.
 */
class PrometheusScrapeCountsEveryChangeITCase {

    private static final String PREFIX = TableMetrics.PROMETHEUS_PREFIX;
    private static final Duration PATIENCE = Duration.ofSeconds(90);

    @TempDir
    static Path dir;

    private static LocalMySql mysql;
    private static LakehouseConfig config;
    private static int port;

    @BeforeAll
    static void createSource() throws Exception {
        mysql = LocalMySql.createDatabase("it_metrics");
        mysql.execute(
                "CREATE TABLE visits (id INT PRIMARY KEY, patient VARCHAR(50) NOT NULL, slot TIME NULL)",
                "CREATE TABLE doctors (id INT PRIMARY KEY, name VARCHAR(50) NOT NULL)",
                "INSERT INTO visits VALUES (1, 'Ayu', '09:00:00'), (2, 'Budi', NULL)",
                "INSERT INTO doctors VALUES (1, 'dr. Hadi')");
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Path file = dir.resolve("lakehouse.yaml");
        Files.writeString(file, """
                pipeline:
                  name: metrics-it
                  checkpoint-interval: 1s
                  web-ui-port: 0
                  metrics:
                    prometheus-port: %d
                sources:
                %s
                lake:
                  base-path: %s
                tables:
                  - source: clinic
                    table: %s.visits
                  - source: clinic
                    table: %s.doctors
                """.formatted(port, LocalMySql.sourceYaml("clinic", dir.resolve("cdc-password")), dir.resolve("lake"),
                mysql.database, mysql.database));
        config = LakehouseConfig.load(file, List.of());
    }

    @AfterAll
    static void dropSource() throws Exception {
        if (mysql != null) {
            mysql.close();
        }
    }

    @Test
    void everyChangeIsCountedOncePerTableAndTheAlertRulesNameScrapedMetrics() throws Exception {
        String visits = "clinic_" + mysql.database + "_visits";
        String doctors = "clinic_" + mysql.database + "_doctors";
        try (EmbeddedPipeline pipeline = EmbeddedPipeline.start(PipelineJob.prepare(config), null, false)) {
            // Changes made once the snapshot rows are read come from the binlog alone, each once.
            await("the snapshot rows to be read", scrape -> scrape.sum(PREFIX + TableMetrics.RECORDS_READ, visits) == 2
                    && scrape.sum(PREFIX + TableMetrics.RECORDS_READ, doctors) == 1);

            mysql.execute(
                    "INSERT INTO visits VALUES (3, 'Citra', '10:00:00'), (4, 'Dewi', NULL), (5, 'Eka', '11:30:00')",
                    "UPDATE visits SET patient = 'Ayu Lestari' WHERE id = 1",
                    "UPDATE visits SET slot = '12:00:00' WHERE id IN (4, 5)",
                    "DELETE FROM visits WHERE id = 2",
                    // A MySQL TIME past 24:00 is kept as the exact text it is.
                    "INSERT INTO visits VALUES (6, 'Fajar', '25:00:00')",
                    "INSERT INTO doctors VALUES (2, 'dr. Sari'), (3, 'dr. Tono')",
                    "UPDATE doctors SET name = 'dr. Hadi Santoso' WHERE id = 1",
                    "DELETE FROM doctors WHERE id = 3");

            Scrape scrape = await("every change to be counted and committed", s ->
                    s.sum(PREFIX + TableMetrics.RECORDS_READ, visits) == 10
                            && s.sum(PREFIX + TableMetrics.RECORDS_WRITTEN, visits) == 10
                            && s.sum(PREFIX + TableMetrics.RECORDS_READ, doctors) == 5
                            && s.sum(PREFIX + TableMetrics.RECORDS_WRITTEN, doctors) == 5
                            && !Double.isNaN(s.max(PREFIX + TableMetrics.LAST_COMMIT_AGE_MS, visits))
                            && !Double.isNaN(s.max(PREFIX + TableMetrics.LAST_COMMIT_AGE_MS, doctors)));

            assertThat(scrape.sum(PREFIX + TableMetrics.FAILED_EVENTS, visits)).isZero();
            assertThat(scrape.sum(PREFIX + TableMetrics.FAILED_EVENTS, doctors)).isZero();
            assertThat(scrape.sum(PREFIX + TableMetrics.SNAPSHOT_RECORDS_READ, visits)).isEqualTo(2);
            assertThat(scrape.sum(PREFIX + TableMetrics.SNAPSHOT_RECORDS_READ, doctors)).isEqualTo(1);
            for (String table : List.of(visits, doctors)) {
                assertThat(scrape.max(PREFIX + TableMetrics.SNAPSHOT_COMPLETED, table)).as(table).isEqualTo(1);
                // Source commit times are whole seconds in the binlog: the lag includes the cut fraction.
                assertThat(scrape.max(PREFIX + TableMetrics.SOURCE_LAG_MS, table)).as(table).isBetween(0.0, 60_000.0);
                assertThat(scrape.max(PREFIX + TableMetrics.LAST_COMMIT_AGE_MS, table)).as(table).isBetween(0.0, 60_000.0);
            }

            assertThat(scrape.values("flink_jobmanager_job_lastCheckpointDuration")).isNotEmpty().allMatch(v -> v >= 0);
            assertThat(scrape.values("flink_jobmanager_job_numRestarts")).containsOnly(0.0);
            // Not necessarily 0: checkpoints Flink could not trigger while operators were starting count as failed.
            assertThat(scrape.values("flink_jobmanager_job_numberOfFailedCheckpoints")).isNotEmpty().allMatch(v -> v >= 0);
            assertThat(scrape.values("flink_jobmanager_job_uptime")).isNotEmpty().allMatch(v -> v > 0);

            Set<String> ruleMetrics = PrometheusRules.metricNames(PrometheusRules.load());
            assertThat(ruleMetrics).isNotEmpty();
            assertThat(scrape.names()).containsAll(ruleMetrics);
        }
    }

    private static Scrape await(String what, Predicate<Scrape> condition) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(10)).build();
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        Scrape last = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            last = Scrape.parse(response.body());
            if (condition.test(last)) {
                return last;
            }
            Thread.sleep(500);
        }
        throw new TimeoutException("Waited " + PATIENCE + " for " + what + "; last scrape of our metrics:\n"
                + (last == null ? "none" : last.lakehouseLines()));
    }
}
