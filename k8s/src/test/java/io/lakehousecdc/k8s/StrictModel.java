package io.lakehousecdc.k8s;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.MapperConfig;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.openshift.api.model.monitoring.v1.PodMonitor;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;

import org.apache.flink.kubernetes.operator.api.FlinkDeployment;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads Kubernetes objects into the Java models that the cluster side uses, refusing any field
 * the model does not know.
 *
 * <p>FlinkDeployment goes into the Flink Kubernetes Operator's own classes, everything else into
 * fabric8's. PodMonitor and PrometheusRule are Prometheus Operator CRDs; fabric8 publishes them as
 * {@code openshift-model-monitoring} at the same version as the rest of its model, so they get the
 * same strict check instead of a hand-kept schema that would drift from the real CRD.
 *
 * <p>Both models are lenient on purpose, so that an operator survives newer CRDs: the operator's
 * spec classes say {@code @JsonIgnoreProperties(ignoreUnknown = true)} and fabric8's classes keep
 * unknown fields in an any-setter map. Here a field the model does not know is a typo or a field
 * of another version, so both escape hatches are switched off and
 * {@code FAIL_ON_UNKNOWN_PROPERTIES} applies everywhere.
 */
final class StrictModel {

    /** The kinds the manifests may hold; PrometheusRule is the alerting rules' kind. */
    private static final List<Class<? extends HasMetadata>> MODELS = List.of(
            FlinkDeployment.class, ServiceAccount.class, Role.class, RoleBinding.class, ConfigMap.class,
            PodMonitor.class, PrometheusRule.class);

    private static final Map<String, Class<? extends HasMetadata>> MODEL_BY_TYPE = MODELS.stream()
            .collect(Collectors.toMap(StrictModel::typeOf, Function.identity()));

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .annotationIntrospector(new JacksonAnnotationIntrospector() {
                @Override
                public JsonIgnoreProperties.Value findPropertyIgnoralByName(MapperConfig<?> config, Annotated a) {
                    return super.findPropertyIgnoralByName(config, a).withoutIgnoreUnknown();
                }

                @Override
                public Boolean hasAnySetter(Annotated a) {
                    return Boolean.FALSE;
                }
            })
            .build();

    private StrictModel() {}

    /** {@code apiVersion/kind}, e.g. {@code flink.apache.org/v1beta1/FlinkDeployment}. */
    private static String typeOf(Class<? extends HasMetadata> model) {
        String group = HasMetadata.getGroup(model);
        String apiVersion = group == null || group.isEmpty() ? HasMetadata.getVersion(model) : group + "/" + HasMetadata.getVersion(model);
        return apiVersion + "/" + HasMetadata.getKind(model);
    }

    /** The document as an instance of the model for its apiVersion and kind. */
    static HasMetadata read(JsonNode document) {
        String type = document.path("apiVersion").asText() + "/" + document.path("kind").asText();
        Class<? extends HasMetadata> model = MODEL_BY_TYPE.get(type);
        if (model == null) {
            throw new AssertionError(type + " (" + document.path("metadata").path("name").asText()
                    + ") has no Java model to check it against; known: " + MODEL_BY_TYPE.keySet());
        }
        return read(document, model);
    }

    private static <T> T read(JsonNode document, Class<T> model) {
        try {
            return MAPPER.treeToValue(document, model);
        } catch (JsonProcessingException e) {
            throw new AssertionError(model.getSimpleName() + " " + document.path("metadata").path("name").asText()
                    + " does not fit the model: " + e.getOriginalMessage() + " at " + e.getLocation(), e);
        }
    }
}
