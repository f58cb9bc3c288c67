package io.lakehousecdc.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.openshift.api.model.monitoring.v1.PodMetricsEndpoint;
import io.fabric8.openshift.api.model.monitoring.v1.PodMonitor;

import org.apache.flink.kubernetes.operator.api.FlinkDeployment;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.util.List;
import java.util.Map;

/** The references between the rendered objects of each overlay resolve. */
class WiringTest {

    /** What the JobManager does with TaskManager pods, HA ConfigMaps and its own Deployment. */
    private static final List<String> VERBS = List.of("get", "list", "watch", "create", "update", "patch", "delete");

    @ParameterizedTest
    @FieldSource(RenderedOverlay.ALL)
    void theServiceAccountMayManageTaskManagersAndHighAvailabilityState(String overlay) {
        RenderedOverlay rendered = RenderedOverlay.of(overlay);
        String account = rendered.flinkDeployment().getSpec().getServiceAccount();
        String namespace = rendered.flinkDeployment().getMetadata().getNamespace();

        assertThat(rendered.all(ServiceAccount.class)).extracting(a -> a.getMetadata().getName()).contains(account);
        List<PolicyRule> rules = rendered.all(RoleBinding.class).stream()
                .filter(binding -> binding.getSubjects().stream().anyMatch(s -> "ServiceAccount".equals(s.getKind())
                        && account.equals(s.getName()) && namespace.equals(s.getNamespace())))
                .filter(binding -> "Role".equals(binding.getRoleRef().getKind()))
                .flatMap(binding -> rendered.all(Role.class).stream()
                        .filter(role -> role.getMetadata().getName().equals(binding.getRoleRef().getName())))
                .flatMap(role -> role.getRules().stream())
                .toList();

        assertThat(allows(rules, "", "pods")).isTrue();
        assertThat(allows(rules, "", "configmaps")).isTrue();
        assertThat(allows(rules, "apps", "deployments")).isTrue();
    }

    @ParameterizedTest
    @FieldSource(RenderedOverlay.ALL)
    void theConfigVolumeNamesTheGeneratedConfigMapSoAChangedFileRedeploys(String overlay) {
        RenderedOverlay rendered = RenderedOverlay.of(overlay);
        String referenced = rendered.flinkDeployment().getSpec().getPodTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getConfigMap() != null)
                .findFirst()
                .orElseThrow()
                .getConfigMap()
                .getName();

        assertThat(rendered.configMap(referenced).getMetadata().getName()).matches("lakehouse-config-[a-z0-9]{10}");
    }

    @ParameterizedTest
    @FieldSource(RenderedOverlay.ALL)
    void thePodMonitorScrapesThePrometheusReporterOfEveryFlinkPod(String overlay) {
        RenderedOverlay rendered = RenderedOverlay.of(overlay);
        PodMonitor monitor = rendered.only(PodMonitor.class);
        FlinkDeployment deployment = rendered.flinkDeployment();
        Map<String, String> podLabels = deployment.getSpec().getPodTemplate().getMetadata().getLabels();
        int reporterPort = Integer.parseInt(rendered.flinkConfiguration().get(FlinkDeploymentTest.PROMETHEUS_PORT_KEY));

        assertThat(monitor.getMetadata().getNamespace()).isEqualTo(deployment.getMetadata().getNamespace());
        assertThat(podLabels).containsAllEntriesOf(monitor.getSpec().getSelector().getMatchLabels());
        assertThat(monitor.getSpec().getSelector().getMatchLabels()).isNotEmpty();
        for (PodMetricsEndpoint endpoint : monitor.getSpec().getPodMetricsEndpoints()) {
            assertThat(rendered.mainContainer().getPorts())
                    .filteredOn(port -> port.getName().equals(endpoint.getPort()))
                    .extracting(ContainerPort::getContainerPort)
                    .containsExactly(reporterPort);
        }
    }

    @ParameterizedTest
    @FieldSource(RenderedOverlay.ALL)
    void secretsAreReferencedNeverRendered(String overlay) {
        RenderedOverlay rendered = RenderedOverlay.of(overlay);

        assertThat(rendered.documents()).noneMatch(document -> "Secret".equals(document.path("kind").asText()));
        assertThat(rendered.mainContainer().getEnv()).extracting(EnvVar::getValue).containsOnlyNulls();
        assertThat(rendered.mainContainer().getEnv())
                .extracting(e -> e.getValueFrom().getSecretKeyRef().getName())
                .containsOnly("lakehouse-secrets");
    }

    @ParameterizedTest
    @FieldSource(RenderedOverlay.ALL)
    void theReadmeNamesEveryKeyTheSecretMustHold(String overlay) {
        String readme = Repository.read(Repository.ROOT.resolve("README.md"));

        assertThat(readme).contains("lakehouse-secrets");
        assertThat(RenderedOverlay.of(overlay).secretEnvironment().values()).allSatisfy(key -> assertThat(readme).contains(key));
    }

    @ParameterizedTest
    @FieldSource(RenderedOverlay.ALL)
    void everyObjectLivesInTheOverlaysNamespace(String overlay) {
        assertThat(RenderedOverlay.of(overlay).objects())
                .extracting(HasMetadata::getMetadata)
                .allSatisfy(meta -> assertThat(meta.getNamespace()).isEqualTo("lakehouse-" + overlay));
    }

    private static boolean allows(List<PolicyRule> rules, String apiGroup, String resource) {
        return rules.stream().anyMatch(rule -> rule.getApiGroups().contains(apiGroup)
                && rule.getResources().contains(resource)
                && rule.getVerbs().containsAll(VERBS));
    }
}
