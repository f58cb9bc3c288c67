package io.lakehousecdc.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The alert rules deployed with the job, k8s/base/prometheus-rules.yaml, as the tests read them. */
final class PrometheusRules {
    /** Tests run in the module's directory. */
    static final Path FILE = Path.of("..", "k8s", "base", "prometheus-rules.yaml");
    private static final Pattern FLINK_METRIC = Pattern.compile("\\bflink_[A-Za-z0-9_]+");

    private PrometheusRules() {}

    static JsonNode load() throws IOException {
        return new ObjectMapper(new YAMLFactory()).readTree(FILE.toFile());
    }

    static List<JsonNode> rules(JsonNode document) {
        List<JsonNode> rules = new ArrayList<>();
        document.path("spec").path("groups").forEach(group -> group.path("rules").forEach(rules::add));
        return rules;
    }

    /** Every Flink metric name that an alert's expression uses. */
    static Set<String> metricNames(JsonNode document) {
        Set<String> names = new TreeSet<>();
        for (JsonNode rule : rules(document)) {
            Matcher m = FLINK_METRIC.matcher(rule.path("expr").asText());
            while (m.find()) {
                names.add(m.group());
            }
        }
        return names;
    }
}
