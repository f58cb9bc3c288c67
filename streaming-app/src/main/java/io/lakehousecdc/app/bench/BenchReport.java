package io.lakehousecdc.app.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** One benchmark run's figures per pipeline, the ratios between them, and the machine they ran on. */
final class BenchReport {

    /** The figures worth comparing between pipelines. */
    private static final List<String> COMPARED = List.of("rows_per_s", "seconds", "sustained_rate_per_s",
            "applied_at_sustained_per_s", "p50_ms", "p95_ms", "p99_ms", "peak_rss_mib");

    private final String scenario;
    private final Map<String, Object> settings;
    private final Map<String, Map<String, Object>> pipelines = new LinkedHashMap<>();
    private final Map<String, Object> profiles = new LinkedHashMap<>();

    BenchReport(String scenario, Map<String, Object> settings) {
        this.scenario = scenario;
        this.settings = settings;
    }

    String scenario() {
        return scenario;
    }

    void add(String pipeline, Map<String, Object> figures) {
        pipelines.put(pipeline, figures);
    }

    void addProfile(String pipeline, FlightRecordings.Summary summary) {
        profiles.put(pipeline, summary);
    }

    static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }

    /** Ratios of our figures to each other pipeline's: {@code ours/plain}, {@code ours/ceiling}. */
    Map<String, Map<String, Double>> ratios() {
        Map<String, Map<String, Double>> ratios = new LinkedHashMap<>();
        Map<String, Object> ours = pipelines.get(BenchPipeline.OURS.label());
        if (ours == null) {
            return ratios;
        }
        pipelines.forEach((name, figures) -> {
            if (figures == ours) {
                return;
            }
            Map<String, Double> byFigure = new LinkedHashMap<>();
            for (String figure : COMPARED) {
                if (ours.get(figure) instanceof Number a && figures.get(figure) instanceof Number b && b.doubleValue() > 0) {
                    byFigure.put(figure, Math.round(a.doubleValue() / b.doubleValue() * 100) / 100.0);
                }
            }
            ratios.put("ours/" + name, byFigure);
        });
        return ratios;
    }

    void print(PrintStream out) {
        Map<String, Map<String, Double>> ratios = ratios();
        Set<String> figures = new LinkedHashSet<>();
        pipelines.values().forEach(f -> f.forEach((k, v) -> {
            if (!(v instanceof List<?>)) {
                figures.add(k);
            }
        }));
        StringBuilder header = new StringBuilder(String.format("%-28s", scenario));
        pipelines.keySet().forEach(p -> header.append(String.format("%14s", p)));
        ratios.keySet().forEach(r -> header.append(String.format("%14s", r)));
        out.println(header);
        for (String figure : figures) {
            StringBuilder line = new StringBuilder(String.format("%-28s", figure));
            pipelines.values().forEach(f -> line.append(String.format("%14s", format(f.get(figure)))));
            ratios.values().forEach(r -> line.append(String.format("%14s", r.containsKey(figure) ? String.format("%.2f", r.get(figure)) : "")));
            out.println(line);
        }
    }

    private static String format(Object value) {
        if (value == null) {
            return "-";
        }
        if (value instanceof Double d) {
            return String.format("%,.1f", d);
        }
        if (value instanceof Long || value instanceof Integer) {
            return String.format("%,d", ((Number) value).longValue());
        }
        return value.toString();
    }

    void write(Path file) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("scenario", scenario);
        json.put("finished_at", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        json.put("machine", machine());
        json.put("settings", settings);
        json.put("pipelines", pipelines);
        json.put("ratios", ratios());
        if (!profiles.isEmpty()) {
            json.put("profiles", profiles);
        }
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), json);
    }

    private static Map<String, Object> machine() {
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("cpu", procField("/proc/cpuinfo", "model name"));
        machine.put("memory", procField("/proc/meminfo", "MemTotal"));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        return machine;
    }

    private static String procField(String file, String field) {
        try {
            for (String line : Files.readAllLines(Path.of(file))) {
                if (line.startsWith(field)) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // Not Linux: the field stays unknown.
        }
        return "unknown";
    }
}
