package io.lakehousecdc.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakehousecdc.app.Lakehouse;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.HighAvailabilityOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.kubernetes.operator.api.spec.FlinkDeploymentSpec;
import org.apache.flink.kubernetes.operator.api.spec.FlinkVersion;
import org.apache.flink.kubernetes.operator.api.spec.JobManagerSpec;
import org.apache.flink.kubernetes.operator.api.spec.JobSpec;
import org.apache.flink.kubernetes.operator.api.spec.JobState;
import org.apache.flink.kubernetes.operator.api.spec.KubernetesDeploymentMode;
import org.apache.flink.kubernetes.operator.api.spec.Resource;
import org.apache.flink.kubernetes.operator.api.spec.UpgradeMode;
import org.apache.flink.streaming.api.environment.CheckpointConfig.ExternalizedCheckpointCleanup;
import org.apache.flink.streaming.api.environment.ExecutionCheckpointingOptions;
import org.apache.flink.util.TimeUtils;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The FlinkDeployment of each overlay, read through Flink 1.17's own typed options, so that a
 * misspelled or retired key shows up as a missing value.
 */
class FlinkDeploymentTest {

    /** Keys of the operator (not of Flink), as documented for operator 1.10. */
    static final String PERIODIC_SAVEPOINT_INTERVAL = "kubernetes.operator.periodic.savepoint.interval";
    static final String SAVEPOINT_HISTORY_MAX_COUNT = "kubernetes.operator.savepoint.history.max.count";
    static final String SAVEPOINT_HISTORY_MAX_AGE = "kubernetes.operator.savepoint.history.max.age";
    static final String PROMETHEUS_FACTORY_KEY = "metrics.reporter.prom.factory.class";
    static final String PROMETHEUS_PORT_KEY = "metrics.reporter.prom.port";

    @ParameterizedTest
    @FieldSource(RenderedOverlay.ALL)
    void runsTheLakehouseCommandFromTheImageInApplicationMode(String overlay) {
        FlinkDeploymentSpec spec = RenderedOverlay.of(overlay).flinkDeployment().getSpec();
        JobSpec job = spec.getJob();

        assertThat(spec.getMode()).isIn(null, KubernetesDeploymentMode.NATIVE);
        assertThat(job.getJarURI()).startsWith("local:///");
        assertThat(job.getEntryClass()).isEqualTo(Lakehouse.class.getName());
        assertThat(job.getState()).isEqualTo(JobState.RUNNING);
        assertThat(job.getParallelism()).isPositive();
    }

    @ParameterizedTest
    @FieldSource(RenderedOverlay.ALL)
    void declaresTheFlinkVersionOfTheBuildAndTheOperatorSupportsIt(String overlay) {
        FlinkVersion version = RenderedOverlay.of(overlay).flinkDeployment().getSpec().getFlinkVersion();

        assertThat(version).isEqualTo(FlinkVersion.valueOf("v" + Repository.pomProperty("flink.version")
                .replaceFirst("^(\\d+)\\.(\\d+)\\..*", "$1_$2")));
        assertThat(FlinkVersion.isSupported(version)).as("operator 1.10 supports " + version).isTrue();
    }

    @ParameterizedTest
    @FieldSource(RenderedOverlay.ALL)
    void upgradesThroughSavepointsKeptOnS3(String overlay) {
        RenderedOverlay rendered = RenderedOverlay.of(overlay);
        Configuration flink = Configuration.fromMap(rendered.flinkConfiguration());

        assertThat(rendered.flinkDeployment().getSpec().getJob().getUpgradeMode()).isEqualTo(UpgradeMode.SAVEPOINT);
        assertThat(flink.get(CheckpointingOptions.SAVEPOINT_DIRECTORY)).startsWith("s3://");
        assertThat(flink.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).startsWith("s3://");
        // Operator uids come from the job's uid scheme only, or a savepoint would not map back.
        assertThat(flink.get(PipelineOptions.AUTO_GENERATE_UIDS)).isFalse();
        // When a savepoint cannot be taken, the operator falls back to the last retained checkpoint.
        assertThat(flink.get(ExecutionCheckpointingOptions.EXTERNALIZED_CHECKPOINT))
                .isEqualTo(ExternalizedCheckpointCleanup.RETAIN_ON_CANCELLATION);
    }

    @ParameterizedTest
    @FieldSource(RenderedOverlay.ALL)
    void takesNoPeriodicSavepointsAndKeepsABoundedHistory(String overlay) {
        var configuration = RenderedOverlay.of(overlay).flinkConfiguration();

        // A savepoint of a running job is never reported to operators as complete, and Hudi's
        // writers stall waiting for that until the checkpoint timeout.
        assertThat(configuration).doesNotContainKey(PERIODIC_SAVEPOINT_INTERVAL);
        Duration maxAge = TimeUtils.parseDuration(configuration.get(SAVEPOINT_HISTORY_MAX_AGE));
        int maxCount = Integer.parseInt(configuration.get(SAVEPOINT_HISTORY_MAX_COUNT));
        assertThat(maxCount).isGreaterThan(1);
        assertThat(maxAge).as("upgrade savepoints are kept for days").isGreaterThanOrEqualTo(Duration.ofDays(3));
    }

    @ParameterizedTest
    @FieldSource(RenderedOverlay.ALL)
    void keepsHighAvailabilityStateInKubernetesAndS3(String overlay) {
        RenderedOverlay rendered = RenderedOverlay.of(overlay);
        Configuration flink = Configuration.fromMap(rendered.flinkConfiguration());
        JobManagerSpec jobManager = rendered.flinkDeployment().getSpec().getJobManager();

        assertThat(flink.get(HighAvailabilityOptions.HA_MODE)).isEqualTo("kubernetes");
        assertThat(flink.get(HighAvailabilityOptions.HA_STORAGE_PATH)).startsWith("s3://");
        assertThat(jobManager.getReplicas()).isBetween(1, 2);
    }

    @ParameterizedTest
    @FieldSource(RenderedOverlay.ALL)
    void opensTheJdkInternalsTheBuildOpens(String overlay) {
        Configuration flink = Configuration.fromMap(RenderedOverlay.of(overlay).flinkConfiguration());

        assertThat(words(flink.get(CoreOptions.FLINK_JVM_OPTIONS))).isEqualTo(words(Repository.pomProperty("flink.jvm.opens")));
    }

    @ParameterizedTest
    @FieldSource(RenderedOverlay.ALL)
    void reportsMetricsToPrometheus(String overlay) {
        var configuration = RenderedOverlay.of(overlay).flinkConfiguration();

        assertThat(configuration.get(PROMETHEUS_FACTORY_KEY))
                .isEqualTo("org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        assertThat(Integer.parseInt(configuration.get(PROMETHEUS_PORT_KEY))).isEqualTo(9249);
    }

    @ParameterizedTest
    @FieldSource(RenderedOverlay.ALL)
    void givesEveryPodCpuAndMemory(String overlay) {
        FlinkDeploymentSpec spec = RenderedOverlay.of(overlay).flinkDeployment().getSpec();

        for (Resource resource : List.of(spec.getJobManager().getResource(), spec.getTaskManager().getResource())) {
            assertThat(resource.getCpu()).isPositive();
            assertThat(MemorySize.parse(resource.getMemory()).getMebiBytes()).isGreaterThanOrEqualTo(1024);
        }
    }

    static List<String> words(String text) {
        return Arrays.asList(text.strip().split("\\s+"));
    }
}
