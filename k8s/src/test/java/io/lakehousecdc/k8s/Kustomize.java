package io.lakehousecdc.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders a kustomization with {@code kubectl kustomize}, exactly as {@code kubectl apply -k}
 * would send it to the cluster.
 */
final class Kustomize {

    private static final String INSTALL_HINT = "run sudo scripts/local-services.sh, which installs kubectl when it is missing";
    /**
     * The overlays use the object form of {@code patches}, which kustomize v2 (kubectl before
     * 1.21, Debian's kubernetes-client among them) cannot read; v5 is the oldest checked.
     */
    private static final int OLDEST_KUSTOMIZE_MAJOR = 5;
    private static final Pattern KUSTOMIZE_VERSION = Pattern.compile("Kustomize Version: v(\\d+)\\.");

    private Kustomize() {}

    static List<JsonNode> build(Path kustomization) {
        checkKubectl();
        Output out = run("kubectl", "kustomize", kustomization.toString());
        if (out.exitCode() != 0) {
            throw new AssertionError("kubectl kustomize " + kustomization + " failed: " + out.stderr());
        }
        return documents(out.stdout());
    }

    private static void checkKubectl() {
        Output version;
        try {
            version = run("kubectl", "version", "--client");
        } catch (IllegalStateException e) {
            throw new AssertionError("kubectl is not installed or not on PATH (" + e.getMessage() + "): " + INSTALL_HINT, e);
        }
        if (version.exitCode() != 0) {
            throw new AssertionError("kubectl version --client failed: " + version.stderr());
        }
        // kubectl names its kustomize only since 1.24; an older one is too old anyway.
        Matcher m = KUSTOMIZE_VERSION.matcher(version.stdout());
        if (!m.find() || Integer.parseInt(m.group(1)) < OLDEST_KUSTOMIZE_MAJOR) {
            throw new AssertionError("kubectl embeds a kustomize older than v" + OLDEST_KUSTOMIZE_MAJOR
                    + ", which cannot render k8s/overlays (" + version.stdout().strip()
                    + "): install kubectl 1.27 or newer");
        }
    }

    static List<JsonNode> documents(String yaml) {
        ObjectMapper mapper = new ObjectMapper(new YAMLFactory());
        List<JsonNode> documents = new ArrayList<>();
        try (YAMLParser parser = new YAMLFactory().createParser(yaml)) {
            mapper.readValues(parser, JsonNode.class).forEachRemaining(node -> {
                if (node != null && !node.isNull() && !node.isMissingNode()) {
                    documents.add(node);
                }
            });
        } catch (IOException e) {
            throw new AssertionError("YAML that does not parse: " + e.getMessage(), e);
        }
        return documents;
    }

    private record Output(int exitCode, String stdout, String stderr) {}

    private static Output run(String... command) {
        Process process;
        Path stderrFile;
        try {
            // stderr goes to a file so that a chatty stderr can never block the stdout reader.
            stderrFile = Files.createTempFile("kubectl-", ".stderr");
            process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectError(stderrFile.toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        try {
            String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError(String.join(" ", command) + " did not finish within 60 s");
            }
            return new Output(process.exitValue(), stdout, Files.readString(stderrFile));
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        } finally {
            process.destroyForcibly();
            stderrFile.toFile().delete();
        }
    }
}
