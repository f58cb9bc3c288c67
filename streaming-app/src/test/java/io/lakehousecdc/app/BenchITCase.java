package io.lakehousecdc.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A small run of each benchmark scenario: every pipeline runs in its own JVM, the lakes end equal
 * to the source, and the figures and ratios are printed and written. No timing is asserted.
 */
class BenchITCase {

    private static final List<String> PIPELINES = List.of("ours", "plain", "ceiling");

    @TempDir
    Path dir;

    private final String database = "it_bench_" + UUID.randomUUID().toString().substring(0, 8);

    @AfterEach
    void dropDatabase() throws Exception {
        try (Connection admin = LocalMySql.connectAdmin(); Statement st = admin.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + database);
        }
    }

    @Test
    void snapshotCommitsEveryRowInEachPipeline() throws Exception {
        JsonNode results = bench("snapshot", "--rows", "3000");
        for (String pipeline : PIPELINES) {
            JsonNode figures = results.path("pipelines").path(pipeline);
            assertThat(figures.path("rows").asLong()).as(pipeline).isEqualTo(3000);
            assertThat(figures.path("rows_per_s").asDouble()).as(pipeline).isPositive();
            assertThat(figures.path("peak_rss_mib").asLong()).as(pipeline).isPositive();
        }
        assertLakesEqualSource(results);
        assertThat(results.path("ratios").path("ours/plain").path("rows_per_s").isNumber()).isTrue();
        assertThat(results.path("ratios").path("ours/ceiling").path("peak_rss_mib").isNumber()).isTrue();
    }

    @Test
    void freshnessSeesEveryChangeInEachPipeline() throws Exception {
        JsonNode results = bench("freshness", "--rows", "500", "--rate", "100", "--duration", "6s");
        for (String pipeline : PIPELINES) {
            JsonNode figures = results.path("pipelines").path(pipeline);
            assertThat(figures.path("changes").asLong()).as(pipeline).isGreaterThan(300);
            assertThat(figures.path("not_visible").asLong()).as(pipeline).isZero();
            long p50 = figures.path("p50_ms").asLong();
            long p99 = figures.path("p99_ms").asLong();
            assertThat(p50).as(pipeline).isNotNegative().isLessThanOrEqualTo(p99);
            assertThat(p99).as(pipeline).isLessThanOrEqualTo(figures.path("max_ms").asLong());
        }
        assertLakesEqualSource(results);
    }

    @Test
    void streamStepsUpTheRate() throws Exception {
        JsonNode results = bench("stream", "--rows", "500", "--start-rate", "50", "--max-rate", "100", "--step", "5s");
        for (String pipeline : PIPELINES) {
            JsonNode steps = results.path("pipelines").path(pipeline).path("steps");
            assertThat(steps.size()).as(pipeline).isBetween(1, 2);
            assertThat(steps.get(0).path("rate").asInt()).isEqualTo(50);
            assertThat(steps.get(0).path("offered_per_s").asDouble()).as(pipeline).isPositive();
        }
        assertLakesEqualSource(results);
    }

    private static void assertLakesEqualSource(JsonNode results) {
        for (String pipeline : List.of("ours", "plain")) {
            assertThat(results.path("pipelines").path(pipeline).path("lake_equals_source").asBoolean()).as(pipeline).isTrue();
        }
    }

    private JsonNode bench(String scenario, String... options) throws Exception {
        Path output = dir.resolve(scenario + ".json");
        List<String> args = new ArrayList<>(List.of("bench", "--scenario", scenario, "--checkpoint-interval", "2s",
                "--heap", "1g", "--dir", dir.toString(), "--database", database, "--output", output.toString()));
        args.addAll(List.of(options));
        PrintStream original = System.out;
        PrintStream originalErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream captured = new PrintStream(out, true, StandardCharsets.UTF_8);
        System.setOut(captured);
        System.setErr(captured);
        int code;
        try {
            code = Lakehouse.execute(args.toArray(String[]::new));
        } finally {
            System.setOut(original);
            System.setErr(originalErr);
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        System.out.println(printed);
        assertThat(code).as(printed).isZero();
        assertThat(printed).contains("ours/plain").contains("ours/ceiling").contains("peak_rss_mib");
        return new ObjectMapper().readTree(output.toFile());
    }
}
