package io.lakehousecdc.k8s;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;

import org.apache.flink.kubernetes.operator.api.FlinkDeployment;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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

    Map<String, String> flinkConfiguration() {
        return flinkDeployment().getSpec().getFlinkConfiguration();
    }

    @Override
    public String toString() {
        return name;
    }
}
