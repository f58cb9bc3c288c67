package io.lakehousecdc.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.configuration.MemorySize;
import org.apache.flink.kubernetes.operator.api.spec.FlinkDeploymentSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.net.URI;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** dev and prod are separate installations of the same job, sized differently. */
class EnvironmentsTest {

    @ParameterizedTest
    @FieldSource(RenderedOverlay.ALL)
    void anEnvironmentKeepsLakeCheckpointsSavepointsAndHaStateInOneBucket(String overlay) {
        assertThat(buckets(RenderedOverlay.of(overlay))).hasSize(1);
    }

    @Test
    void devAndProdShareNoBucketNamespaceJobNameOrReplicationSlot() {
        RenderedOverlay dev = RenderedOverlay.of("dev");
        RenderedOverlay prod = RenderedOverlay.of("prod");

        assertThat(buckets(dev)).doesNotContainAnyElementsOf(buckets(prod));
        assertThat(dev.flinkDeployment().getMetadata().getNamespace()).isNotEqualTo(prod.flinkDeployment().getMetadata().getNamespace());
        assertThat(settings(dev, ".name")).doesNotContainAnyElementsOf(settings(prod, ".name"));
        // Two jobs reading one replication slot would each miss the changes the other consumed.
        assertThat(settings(dev, ".slot-name")).isNotEmpty().doesNotContainAnyElementsOf(settings(prod, ".slot-name"));
    }

    @Test
    void prodRunsWiderWithMoreMemoryAStandbyJobManagerAndFewerCommitsPerHour() {
        FlinkDeploymentSpec dev = RenderedOverlay.of("dev").flinkDeployment().getSpec();
        FlinkDeploymentSpec prod = RenderedOverlay.of("prod").flinkDeployment().getSpec();

        assertThat(prod.getJob().getParallelism()).isGreaterThan(dev.getJob().getParallelism());
        assertThat(MemorySize.parse(prod.getTaskManager().getResource().getMemory()))
                .isGreaterThan(MemorySize.parse(dev.getTaskManager().getResource().getMemory()));
        assertThat(prod.getJobManager().getReplicas()).isEqualTo(2);
        assertThat(dev.getJobManager().getReplicas()).isEqualTo(1);
        assertThat(RenderedOverlay.of("prod").lakehouseConfig().global().get(io.lakehousecdc.core.PipelineOptions.CHECKPOINT_INTERVAL))
                .isGreaterThan(RenderedOverlay.of("dev").lakehouseConfig().global().get(io.lakehousecdc.core.PipelineOptions.CHECKPOINT_INTERVAL));
    }

    private static Set<String> buckets(RenderedOverlay rendered) {
        Stream<String> flinkPaths = rendered.flinkConfiguration().values().stream();
        Stream<String> configPaths = rendered.lakehouseConfig().settings().values().stream().map(s -> s.value());
        return Stream.concat(flinkPaths, configPaths)
                .filter(value -> value.startsWith("s3://") || value.startsWith("s3a://"))
                .map(value -> URI.create(value).getHost())
                .collect(Collectors.toSet());
    }

    private static Set<String> settings(RenderedOverlay rendered, String keySuffix) {
        return rendered.lakehouseConfig().settings().entrySet().stream()
                .filter(e -> e.getKey().endsWith(keySuffix))
                .map(Map.Entry::getValue)
                .map(s -> s.value())
                .collect(Collectors.toSet());
    }
}
