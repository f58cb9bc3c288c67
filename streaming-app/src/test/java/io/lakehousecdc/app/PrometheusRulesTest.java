package io.lakehousecdc.app;

import io.lakehousecdc.core.TableMetrics;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class PrometheusRulesTest {

    /** Flink's own job metrics the rules may use; the ITCase checks them against a real scrape. */
    private static final Set<String> FLINK_JOB_METRICS = Set.of(
            "flink_jobmanager_job_numRestarts",
            "flink_jobmanager_job_numberOfFailedCheckpoints",
            "flink_jobmanager_job_lastCheckpointDuration",
            "flink_jobmanager_job_uptime");

    @Test
    void everyMetricAnAlertUsesIsOneTheJobRegistersOrOneOfFlinksJobMetrics() throws Exception {
        Set<String> used = PrometheusRules.metricNames(PrometheusRules.load());
        Set<String> known = new HashSet<>(FLINK_JOB_METRICS);
        TableMetrics.NAMES.forEach(name -> known.add(TableMetrics.PROMETHEUS_PREFIX + name));
        assertThat(used).isNotEmpty().allSatisfy(name -> assertThat(known).contains(name));
    }

    @Test
    void theFileIsAPrometheusRuleWhoseAlertsAllHaveAnExpressionSeverityAndSummary() throws Exception {
        JsonNode document = PrometheusRules.load();
        assertThat(document.path("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(document.path("kind").asText()).isEqualTo("PrometheusRule");
        List<JsonNode> rules = PrometheusRules.rules(document);
        assertThat(rules).isNotEmpty().allSatisfy(rule -> {
            assertThat(rule.path("alert").asText()).matches("Lakehouse[A-Za-z]+");
            assertThat(rule.path("expr").asText()).isNotBlank();
            assertThat(rule.path("labels").path("severity").asText()).isIn("warning", "critical");
            assertThat(rule.path("annotations").path("summary").asText()).isNotBlank();
        });
        assertThat(rules.stream().map(r -> r.path("alert").asText()).distinct()).hasSameSizeAs(rules);
    }
}
