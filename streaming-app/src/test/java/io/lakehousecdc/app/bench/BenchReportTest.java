package io.lakehousecdc.app.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class BenchReportTest {

    @TempDir
    Path dir;

    private static Map<String, Object> figures(double rowsPerSecond, long rssMib, boolean equal) {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("rows", 1000);
        figures.put("rows_per_s", rowsPerSecond);
        figures.put("peak_rss_mib", rssMib);
        figures.put("lake_equals_source", equal);
        figures.put("steps", List.of(Map.of("rate", 500)));
        return figures;
    }

    private static BenchReport report() {
        BenchReport report = new BenchReport("snapshot", Map.of("rows", 1000));
        report.add("ours", figures(3000, 900, true));
        report.add("plain", figures(2000, 1200, true));
        report.add("ceiling", figures(6000, 0, true));
        return report;
    }

    @Test
    void ratiosCompareOnlyComparableFiguresWithANonZeroBase() {
        Map<String, Map<String, Double>> ratios = report().ratios();
        assertThat(ratios).containsOnlyKeys("ours/plain", "ours/ceiling");
        assertThat(ratios.get("ours/plain")).containsExactlyInAnyOrderEntriesOf(Map.of("rows_per_s", 1.5, "peak_rss_mib", 0.75));
        assertThat(ratios.get("ours/ceiling")).containsOnlyKeys("rows_per_s").containsEntry("rows_per_s", 0.5);
    }

    @Test
    void printsOneLinePerFigureWithRatiosAndWritesJson() throws Exception {
        BenchReport report = report();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        report.print(new PrintStream(out, true, StandardCharsets.UTF_8));
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines.get(0)).contains("ours", "plain", "ceiling", "ours/plain", "ours/ceiling");
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("rows_per_s").contains("3,000.0", "1.50", "0.50"));
        assertThat(lines).noneSatisfy(l -> assertThat(l).startsWith("steps"));

        Path file = dir.resolve("nested/snapshot.json");
        report.write(file);
        JsonNode json = new ObjectMapper().readTree(file.toFile());
        assertThat(json.path("scenario").asText()).isEqualTo("snapshot");
        assertThat(json.path("machine").path("cores").asInt()).isPositive();
        assertThat(json.path("pipelines").path("ours").path("steps").get(0).path("rate").asInt()).isEqualTo(500);
        assertThat(json.path("ratios").path("ours/plain").path("rows_per_s").asDouble()).isEqualTo(1.5);
    }
}
