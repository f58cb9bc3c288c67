package io.lakehousecdc.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.openshift.api.model.monitoring.v1.PodMonitor;

import org.apache.flink.kubernetes.operator.api.FlinkDeployment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

class ManifestModelTest {

    @ParameterizedTest
    @FieldSource(RenderedOverlay.ALL)
    void everyRenderedObjectFitsTheModelOfItsKind(String overlay) {
        RenderedOverlay rendered = RenderedOverlay.of(overlay);

        assertThat(rendered.objects()).hasSameSizeAs(rendered.documents());
        assertThat(rendered.objects().stream().map(Object::getClass).toList())
                .contains(FlinkDeployment.class, ServiceAccount.class, Role.class, RoleBinding.class, ConfigMap.class,
                        PodMonitor.class);
    }

    @Test
    void aMisspelledFieldOfTheOperatorsSpecIsRefused() {
        ObjectNode deployment = renderedCopy("FlinkDeployment");
        ObjectNode job = (ObjectNode) deployment.path("spec").path("job");
        job.set("upgradeMod", job.remove("upgradeMode"));

        assertThatThrownBy(() -> StrictModel.read(deployment)).hasMessageContaining("upgradeMod");
    }

    @Test
    void aMisspelledFieldInThePodTemplateIsRefused() {
        ObjectNode deployment = renderedCopy("FlinkDeployment");
        ObjectNode container = (ObjectNode) deployment.path("spec").path("podTemplate").path("spec").path("containers").get(0);
        container.set("volumeMount", container.remove("volumeMounts"));

        assertThatThrownBy(() -> StrictModel.read(deployment)).hasMessageContaining("volumeMount");
    }

    @Test
    void aMisspelledFieldOfAPodMonitorIsRefused() {
        ObjectNode monitor = renderedCopy("PodMonitor");
        ObjectNode spec = (ObjectNode) monitor.path("spec");
        spec.set("podMetricEndpoints", spec.remove("podMetricsEndpoints"));

        assertThatThrownBy(() -> StrictModel.read(monitor)).hasMessageContaining("podMetricEndpoints");
    }

    @Test
    void aKindWithoutAModelIsRefused() {
        ObjectNode monitor = renderedCopy("PodMonitor");
        monitor.put("kind", "ServiceMonitor");

        assertThatThrownBy(() -> StrictModel.read(monitor)).hasMessageContaining("monitoring.coreos.com/v1/ServiceMonitor");
    }

    private static ObjectNode renderedCopy(String kind) {
        JsonNode found = RenderedOverlay.of("dev").documents().stream()
                .filter(document -> kind.equals(document.path("kind").asText()))
                .findFirst()
                .orElseThrow();
        return found.deepCopy();
    }
}
