package io.lakehousecdc.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * k8s/emr/lakehouse-emr.sh, run for real with --dry-run: the EMR steps it would add are read back
 * from its JSON and checked against the lakehouse command and the Flink CLI's options.
 */
class EmrStepsTest {

    private static final Path SCRIPT = Repository.K8S.resolve("emr/lakehouse-emr.sh");
    private static final String CLUSTER = "j-2AXXXXXXGAPLF";
    private static final String APPLICATION = "application_1700000000000_0001";
    private static final String JOB = "a1b2c3d4e5f60718293a4b5c6d7e8f90";

    private record Run(int exitCode, String stdout, String stderr) {}

    @Test
    void helpNamesEveryCommand() {
        Run run = run("--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.stdout()).contains("submit", "savepoint", "stop", "--from-savepoint", "--dry-run");
    }

    @Test
    void aMissingOptionIsAUsageErrorOnOneLine() {
        Run run = run("submit", "--cluster-id", CLUSTER, "--config", "s3://lake-prod/lakehouse.yaml", "--state-dir", "s3://lake-prod/flink");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr().lines()).containsExactly("lakehouse-emr: --jar is required (see --help)");
    }

    @Test
    void submitRunsTheJarAsAYarnApplicationOfTheLakehouseRunCommand() {
        List<String> args = stepArguments(run("submit", "--cluster-id", CLUSTER, "--jar", "s3://lake-prod/lakehouse.jar",
                "--config", "s3://lake-prod/lakehouse.yaml", "--state-dir", "s3://lake-prod/flink/",
                "--set", "pipeline.checkpoint-interval=60s", "--secret-id", "lakehouse/prod", "--dry-run"));

        assertThat(args.subList(0, 2)).containsExactly("bash", "-c");
        String onPrimary = args.get(2);
        assertThat(onPrimary).contains("exec flink run-application -t yarn-application ",
                "-c io.lakehousecdc.app.Lakehouse \"$work/lakehouse.jar\" \"$@\"");
        assertThat(bashSyntaxErrors(onPrimary)).isEmpty();
        assertThat(args.subList(4, 7)).containsExactly("s3://lake-prod/lakehouse.jar", "s3://lake-prod/lakehouse.yaml", "lakehouse/prod");

        List<String> flinkOptions = args.subList(7, args.indexOf("--"));
        assertThat(flinkOptions).contains(
                "-Denv.java.opts.all=" + String.join(" ", FlinkDeploymentTest.words(Repository.pomProperty("flink.jvm.opens"))),
                "-Dpipeline.auto-generate-uids=false",
                "-Dstate.checkpoints.dir=s3://lake-prod/flink/checkpoints",
                "-Dstate.savepoints.dir=s3://lake-prod/flink/savepoints");
        assertThat(flinkOptions).noneMatch(option -> option.startsWith("-s") || option.contains("savepoint.path"));

        RunArguments job = RunArguments.parse(args.subList(args.indexOf("--") + 1, args.size()));
        assertThat(job.config()).isEqualTo(Path.of("lakehouse.yaml"));
        assertThat(job.overrides()).containsExactly("pipeline.checkpoint-interval=60s");
        assertThat(job.undeclaredKeys()).isEmpty();
    }

    @Test
    void submitFromASavepointRestoresIt() {
        List<String> args = stepArguments(run("submit", "--cluster-id", CLUSTER, "--jar", "s3://lake-prod/lakehouse.jar",
                "--config", "s3://lake-prod/lakehouse.yaml", "--state-dir", "s3://lake-prod/flink",
                "--from-savepoint", "s3://lake-prod/flink/savepoints/savepoint-4f1a2b-0123456789ab",
                "--allow-non-restored-state", "--dry-run"));

        List<String> flinkOptions = args.subList(7, args.indexOf("--"));
        assertThat(flinkOptions).containsSequence("-s", "s3://lake-prod/flink/savepoints/savepoint-4f1a2b-0123456789ab");
        assertThat(flinkOptions).contains("--allowNonRestoredState");
    }

    @Test
    void savepointTriggersOneOnTheRunningYarnJob() {
        List<String> args = stepArguments(run("savepoint", "--cluster-id", CLUSTER, "--application-id", APPLICATION,
                "--job-id", JOB, "--target", "s3://lake-prod/flink/savepoints", "--dry-run"));

        assertThat(args).containsExactly("flink", "savepoint", "-t", "yarn-application",
                "-Dyarn.application.id=" + APPLICATION, JOB, "s3://lake-prod/flink/savepoints");
    }

    @Test
    void stopEndsTheJobWithASavepoint() {
        List<String> args = stepArguments(run("stop", "--cluster-id", CLUSTER, "--application-id", APPLICATION,
                "--job-id", JOB, "--target", "s3://lake-prod/flink/savepoints", "--dry-run"));

        assertThat(args).containsExactly("flink", "stop", "-t", "yarn-application",
                "-Dyarn.application.id=" + APPLICATION, "--savepointPath", "s3://lake-prod/flink/savepoints", JOB);
    }

    /** The arguments of the one command-runner.jar step the script printed. */
    private static List<String> stepArguments(Run run) {
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        JsonNode steps;
        try {
            steps = new ObjectMapper().readTree(run.stdout());
        } catch (IOException e) {
            throw new AssertionError("--dry-run printed no JSON: " + run.stdout(), e);
        }
        assertThat(steps).hasSize(1);
        JsonNode step = steps.get(0);
        assertThat(step.path("Jar").asText()).isEqualTo("command-runner.jar");
        assertThat(step.path("ActionOnFailure").asText()).isEqualTo("CONTINUE");
        List<String> args = new ArrayList<>();
        step.path("Args").forEach(arg -> args.add(arg.asText()));
        return args;
    }

    private static String bashSyntaxErrors(String script) {
        return exec(List.of("bash", "-n", "-c", script)).stderr();
    }

    private static Run run(String... args) {
        List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
        command.addAll(List.of(args));
        return exec(command);
    }

    private static Run exec(List<String> command) {
        try {
            Path stderr = Files.createTempFile("lakehouse-emr-", ".stderr");
            try {
                Process process = new ProcessBuilder(command)
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .redirectError(stderr.toFile())
                        .start();
                String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new AssertionError(command + " did not finish within 30 s");
                }
                return new Run(process.exitValue(), stdout, Files.readString(stderr));
            } finally {
                Files.delete(stderr);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
