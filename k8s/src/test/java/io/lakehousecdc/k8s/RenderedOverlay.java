package io.lakehousecdc.k8s;

import io.lakehousecdc.app.config.LakehouseConfig;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;

import org.apache.flink.kubernetes.operator.api.FlinkDeployment;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/** One overlay as {@code kubectl kustomize} renders it, read into the strict models. */
record RenderedOverlay(String name, List<JsonNode> documents, List<HasMetadata> objects) {

    static final List<String> NAMES = List.of("dev", "prod");
    /** For {@code @FieldSource}: every overlay. */
    static final String ALL = "io.lakehousecdc.k8s.RenderedOverlay#NAMES";
    static final String MAIN_CONTAINER = "flink-main-container";

    private static final Map<String, RenderedOverlay> RENDERED = new ConcurrentHashMap<>();

    /** Rendered once per test run: kubectl takes a moment and the output does not change. */
    static RenderedOverlay of(String name) {
        return RENDERED.computeIfAbsent(name, overlay -> {
            List<JsonNode> documents = Kustomize.build(Repository.K8S.resolve("overlays").resolve(overlay));
            return new RenderedOverlay(overlay, documents, documents.stream().map(StrictModel::read).toList());
        });
    }

    <T extends HasMetadata> List<T> all(Class<T> kind) {
        return objects.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    <T extends HasMetadata> T only(Class<T> kind) {
        List<T> found = all(kind);
        if (found.size() != 1) {
            throw new AssertionError("overlay " + name + " renders " + found.size() + " " + kind.getSimpleName()
                    + " objects, expected exactly one");
        }
        return found.get(0);
    }

    FlinkDeployment flinkDeployment() {
        return only(FlinkDeployment.class);
    }

    Container mainContainer() {
        return flinkDeployment().getSpec().getPodTemplate().getSpec().getContainers().stream()
                .filter(c -> MAIN_CONTAINER.equals(c.getName()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("overlay " + name + ": the pod template has no " + MAIN_CONTAINER
                        + ", the only container the operator merges into the JobManager and TaskManagers"));
    }

    ConfigMap configMap(String objectName) {
        return all(ConfigMap.class).stream()
                .filter(c -> c.getMetadata().getName().equals(objectName))
                .findFirst()
                .orElseThrow(() -> new AssertionError("overlay " + name + " renders no ConfigMap named " + objectName));
    }

    /** The main container's mount that {@code file} lies under. */
    VolumeMount mountHolding(Path file) {
        return mainContainer().getVolumeMounts().stream()
                .filter(mount -> file.startsWith(mount.getMountPath()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("overlay " + name + ": nothing is mounted above " + file));
    }

    /** The ConfigMap behind a mount of the main container. */
    ConfigMap configMapBehind(VolumeMount mount) {
        Volume volume = flinkDeployment().getSpec().getPodTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals(mount.getName()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("overlay " + name + ": no volume " + mount.getName()));
        if (volume.getConfigMap() == null) {
            throw new AssertionError("overlay " + name + ": volume " + mount.getName() + " is not a ConfigMap");
        }
        return configMap(volume.getConfigMap().getName());
    }

    /** The content the pods see at {@code file}, from the ConfigMap mounted above it. */
    String mountedFile(Path file) {
        VolumeMount mount = mountHolding(file);
        String key = Path.of(mount.getMountPath()).relativize(file).toString();
        String content = configMapBehind(mount).getData().get(key);
        if (content == null) {
            throw new AssertionError("overlay " + name + ": the ConfigMap mounted at " + mount.getMountPath() + " has no " + key);
        }
        return content;
    }

    /** The job arguments as the lakehouse command reads them. */
    RunArguments jobArguments() {
        return RunArguments.parse(Arrays.asList(flinkDeployment().getSpec().getJob().getArgs()));
    }

    /** The configuration file the job reads, as mounted into the pods. */
    String configFile() {
        return mountedFile(jobArguments().config());
    }

    /** The main container's variables that come from a Secret, each with its key in the Secret. */
    Map<String, String> secretEnvironment() {
        return mainContainer().getEnv().stream()
                .filter(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)
                .collect(Collectors.toMap(EnvVar::getName, e -> e.getValueFrom().getSecretKeyRef().getKey()));
    }

    /** The job's effective configuration, with a stand-in value for each variable from the Secret. */
    LakehouseConfig lakehouseConfig() {
        Map<String, String> environment = secretEnvironment().keySet().stream()
                .collect(Collectors.toMap(Function.identity(), variable -> "value of " + variable));
        return LakehouseConfig.parse(configFile(), name + "/lakehouse.yaml", jobArguments().overrides(), environment);
    }

    Map<String, String> flinkConfiguration() {
        return flinkDeployment().getSpec().getFlinkConfiguration();
    }
}
