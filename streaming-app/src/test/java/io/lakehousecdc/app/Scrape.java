package io.lakehousecdc.app;

import io.lakehousecdc.core.TableMetrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** One scrape of a Prometheus endpoint in its text format: samples with their labels. */
record Scrape(List<Sample> samples) {

    record Sample(String name, Map<String, String> labels, double value, String line) {}

    static Scrape parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            Map<String, String> labels = new LinkedHashMap<>();
            String name;
            if (brace >= 0 && brace < space) {
                name = line.substring(0, brace);
                parseLabels(line.substring(brace + 1, line.lastIndexOf('}')), labels);
            } else {
                name = line.substring(0, space);
            }
            samples.add(new Sample(name, labels, Double.parseDouble(line.substring(space + 1)), line));
        }
        return new Scrape(samples);
    }

    /** {@code a="x",b="y\"z"}: values are quoted, with backslash escapes. */
    private static void parseLabels(String text, Map<String, String> out) {
        int i = 0;
        while (i < text.length()) {
            int eq = text.indexOf('=', i);
            String key = text.substring(i, eq).strip();
            StringBuilder value = new StringBuilder();
            int j = eq + 2;
            for (; text.charAt(j) != '"'; j++) {
                char c = text.charAt(j);
                if (c == '\\') {
                    char escaped = text.charAt(++j);
                    value.append(escaped == 'n' ? '\n' : escaped);
                } else {
                    value.append(c);
                }
            }
            out.put(key, value.toString());
            i = j + 1;
            while (i < text.length() && (text.charAt(i) == ',' || text.charAt(i) == ' ')) {
                i++;
            }
        }
    }

    Set<String> names() {
        return samples.stream().map(Sample::name).collect(Collectors.toCollection(TreeSet::new));
    }

    List<Double> values(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).map(Sample::value).toList();
    }

    private List<Double> values(String name, String table) {
        return samples.stream()
                .filter(s -> s.name().equals(name) && table.equals(s.labels().get(TableMetrics.TABLE_LABEL)))
                .map(Sample::value)
                .toList();
    }

    /** The sum over the table's series (one per subtask); 0 when there is none yet. */
    double sum(String name, String table) {
        return values(name, table).stream().mapToDouble(Double::doubleValue).sum();
    }

    /** The largest value of the table's series, NaN ones aside; NaN when there is no other. */
    double max(String name, String table) {
        return values(name, table).stream().filter(v -> !v.isNaN()).mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    /** The lines of the job's own metrics, for failure messages. */
    String lakehouseLines() {
        return samples.stream().map(Sample::line).filter(l -> l.startsWith(TableMetrics.PROMETHEUS_PREFIX))
                .collect(Collectors.joining("\n"));
    }
}
