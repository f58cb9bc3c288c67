package io.lakehousecdc.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.lakehousecdc.app.config.LakehouseConfig;
import io.lakehousecdc.app.config.Setting;
import io.lakehousecdc.core.PipelineOptions;
import io.lakehousecdc.lake.LakeOptions;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.VolumeMount;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/** The job arguments of each overlay, read by the lakehouse command's own parsers. */
class JobArgumentsTest {

    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{env:([^}]+)}");

    @ParameterizedTest
    @FieldSource(RenderedOverlay.ALL)
    void theArgumentsAreALakehouseRunCommandLineWithDeclaredOverrides(String overlay) {
        RunArguments run = RenderedOverlay.of(overlay).jobArguments();

        assertThat(run.undeclaredKeys()).isEmpty();
        assertThat(run.overrides()).anyMatch(o -> o.startsWith(PipelineOptions.CHECKPOINT_INTERVAL.key() + "="));
    }

    @ParameterizedTest
    @FieldSource(RenderedOverlay.ALL)
    void theConfigFileIsTheMountedConfigMap(String overlay) {
        RenderedOverlay rendered = RenderedOverlay.of(overlay);
        RunArguments run = rendered.jobArguments();

        VolumeMount mount = rendered.mountHolding(run.config());
        ConfigMap configMap = rendered.configMapBehind(mount);

        assertThat(mount.getSubPath()).as("a subPath mount never sees a changed ConfigMap").isNull();
        assertThat(configMap.getData()).containsOnlyKeys(run.config().getFileName().toString());
        assertThat(run.config().getParent()).isEqualTo(Path.of(mount.getMountPath()));
    }

    @ParameterizedTest
    @FieldSource(RenderedOverlay.ALL)
    void theConfigFileParsesWithTheOverridesAndEverySecretResolved(String overlay) {
        RenderedOverlay rendered = RenderedOverlay.of(overlay);
        LakehouseConfig config = rendered.lakehouseConfig();

        assertThat(config.settings()).allSatisfy((key, setting) -> assertThat(setting.problem()).as(key).isNull());
        assertThat(config.settings().get(PipelineOptions.CHECKPOINT_INTERVAL.key()))
                .extracting(Setting::origin).isEqualTo("--set");
        assertThat(config.global().get(PipelineOptions.CHECKPOINT_INTERVAL)).isPositive();
        assertThat(config.global().get(PipelineOptions.PARALLELISM))
                .as("the job's parallelism follows job.parallelism, which sizes the TaskManagers")
                .isEqualTo(rendered.flinkDeployment().getSpec().getJob().getParallelism());
        assertThat(config.global().get(LakeOptions.BASE_PATH)).as("a pod's disk goes away with the pod").startsWith("s3a://");
    }

    @ParameterizedTest
    @FieldSource(RenderedOverlay.ALL)
    void theSecretSuppliesExactlyTheVariablesTheConfigReferences(String overlay) {
        RenderedOverlay rendered = RenderedOverlay.of(overlay);
        Set<String> referenced = new HashSet<>();
        collectEnvReferences(Kustomize.documents(rendered.configFile()).get(0), referenced);

        // A key the config does not use still has to exist in the Secret, or the pods do not start.
        assertThat(rendered.secretEnvironment().keySet()).isEqualTo(referenced);
    }

    private static void collectEnvReferences(JsonNode node, Set<String> into) {
        if (node.isTextual()) {
            ENV_REFERENCE.matcher(node.asText()).results().forEach(r -> into.add(r.group(1)));
        }
        node.forEach(child -> collectEnvReferences(child, into));
    }
}
