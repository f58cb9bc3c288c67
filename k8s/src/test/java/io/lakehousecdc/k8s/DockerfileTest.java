package io.lakehousecdc.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The image is never built here (no container engine), so k8s/Dockerfile is read as text and held
 * to the paths and versions the manifests and the pom use.
 */
class DockerfileTest {

    private static final Pattern INSTRUCTION = Pattern.compile("([A-Z]+)\\s+(.*)", Pattern.DOTALL);
    private static final List<Instruction> DOCKERFILE = instructions(Repository.read(Repository.K8S.resolve("Dockerfile")));

    private record Instruction(String keyword, String arguments) {}

    @Test
    void buildsTheFlinkVersionOfThePomOnTheJavaReleaseOfThePom() {
        assertThat(DOCKERFILE.get(0)).isEqualTo(new Instruction("ARG", "FLINK_VERSION=" + Repository.pomProperty("flink.version")));
        assertThat(all("FROM")).containsExactly(
                "flink:${FLINK_VERSION}-scala_2.12-java11 AS flink",
                "eclipse-temurin:" + Repository.pomProperty("maven.compiler.release") + "-jre-jammy");
    }

    @ParameterizedTest
    @FieldSource(RenderedOverlay.ALL)
    void putsTheJobJarWhereTheFlinkDeploymentLooksForIt(String overlay) {
        String jarPath = URI.create(RenderedOverlay.of(overlay).flinkDeployment().getSpec().getJob().getJarURI()).getPath();

        assertThat(all("COPY")).contains("--chown=flink:flink streaming-app/target/lakehouse.jar " + jarPath);
    }

    @Test
    void theBuildContextLetsInTheJobJar() {
        String ignore = Repository.read(Repository.K8S.resolve("Dockerfile.dockerignore"));

        assertThat(ignore.lines().filter(line -> !line.startsWith("#")).toList())
                .containsExactly("*", "!streaming-app/target/lakehouse.jar");
    }

    @ParameterizedTest
    @FieldSource(RenderedOverlay.ALL)
    void createsTheDirectoryTheConfigurationIsMountedOn(String overlay) {
        RenderedOverlay rendered = RenderedOverlay.of(overlay);
        String mountPath = rendered.mountHolding(rendered.jobArguments().config()).getMountPath();

        assertThat(all("RUN")).anyMatch(run -> run.contains("mkdir -p ") && run.contains(" " + mountPath + ";"));
    }

    @ParameterizedTest
    @FieldSource(RenderedOverlay.ALL)
    void installsThePluginsTheFlinkConfigurationUses(String overlay) {
        String runs = String.join("\n", all("RUN"));
        var configuration = RenderedOverlay.of(overlay).flinkConfiguration();

        assertThat(configuration.get(FlinkDeploymentTest.PROMETHEUS_FACTORY_KEY)).startsWith("org.apache.flink.metrics.prometheus.");
        assertThat(runs).contains("plugins/metrics-prometheus/flink-metrics-prometheus-${FLINK_VERSION}.jar");
        assertThat(configuration.values()).anyMatch(value -> value.startsWith("s3://"));
        assertThat(runs).contains("mv opt/flink-s3-fs-hadoop-${FLINK_VERSION}.jar plugins/s3-fs-hadoop/");
    }

    @Test
    void startsThroughTheEntryPointTheOperatorCalls() {
        // Flink's native Kubernetes integration launches /docker-entrypoint.sh (kubernetes.entry.path).
        assertThat(all("COPY")).contains("--from=flink /docker-entrypoint.sh /docker-entrypoint.sh");
        assertThat(all("ENTRYPOINT")).containsExactly("[\"/docker-entrypoint.sh\"]");
        assertThat(all("EXPOSE")).singleElement().asString().contains("9249");
    }

    private static List<String> all(String keyword) {
        return DOCKERFILE.stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::arguments).toList();
    }

    /** Instructions with their continuation lines joined; comments and blank lines dropped. */
    private static List<Instruction> instructions(String dockerfile) {
        List<Instruction> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : dockerfile.lines().toList()) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            boolean continues = trimmed.endsWith("\\");
            current.append(continues ? trimmed.substring(0, trimmed.length() - 1).strip() : trimmed).append(' ');
            if (!continues) {
                Matcher m = INSTRUCTION.matcher(current.toString().strip());
                if (!m.matches()) {
                    throw new AssertionError("k8s/Dockerfile: not an instruction: " + current);
                }
                instructions.add(new Instruction(m.group(1), m.group(2)));
                current.setLength(0);
            }
        }
        return instructions;
    }
}
