package io.lakehousecdc.savepoints;

import io.lakehousecdc.core.SetupException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * A Flink JobManager's REST API, for what savepoints need: the jobs, triggering a savepoint,
 * stopping with one, and which savepoint a job was restored from. Every failure is a one-line
 * {@link SetupException} naming the cause and what to do.
 */
public final class FlinkJobManager {

    private static final Duration POLL = Duration.ofMillis(250);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final URI base;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();

    private FlinkJobManager(URI base) {
        this.base = base;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** The JobManager whose REST endpoint is {@code url}, e.g. {@code http://flink-jobmanager:8081}. */
    public static FlinkJobManager at(String url) {
        URI uri;
        try {
            uri = URI.create(url.endsWith("/") ? url : url + "/");
        } catch (IllegalArgumentException e) {
            throw new SetupException("--jobmanager " + url + " is not a URL: write it as http://HOST:8081");
        }
        if (uri.getScheme() == null || !uri.getScheme().startsWith("http")) {
            throw new SetupException("--jobmanager " + url + " is not an http(s) URL: write it as http://HOST:8081");
        }
        return new FlinkJobManager(uri);
    }

    /** Every job the JobManager knows, running or ended. */
    public List<RunningJob> jobs() {
        List<RunningJob> jobs = new ArrayList<>();
        for (JsonNode job : get("jobs/overview").path("jobs")) {
            jobs.add(new RunningJob(job.path("jid").asText(), job.path("name").asText(), job.path("state").asText()));
        }
        return jobs;
    }

    /**
     * The job {@code id} names, or when it is null the only running job; fails naming the
     * candidates when that is not one job.
     */
    public RunningJob job(String id) {
        List<RunningJob> jobs = jobs();
        if (id != null) {
            return jobs.stream().filter(j -> j.id().equals(id)).findFirst()
                    .orElseThrow(() -> new SetupException("No job " + id + " at " + base + ": " + describe(jobs)));
        }
        List<RunningJob> running = jobs.stream().filter(RunningJob::isRunning).toList();
        if (running.size() != 1) {
            throw new SetupException((running.isEmpty() ? "No running job" : running.size() + " running jobs") + " at "
                    + base + ": " + describe(jobs) + "; name one with --job ID");
        }
        return running.get(0);
    }

    private static String describe(List<RunningJob> jobs) {
        if (jobs.isEmpty()) {
            return "the JobManager has no jobs";
        }
        List<String> shown = jobs.stream().map(j -> j.id() + " (" + j.name() + ", " + j.state() + ")").toList();
        return "jobs are " + String.join(", ", shown);
    }

    /**
     * Takes a savepoint of a running job and waits for it.
     *
     * @param targetDirectory where to write it; null for the cluster's {@code state.savepoints.dir}
     * @param waited called about every five seconds with the milliseconds waited so far
     * @return the savepoint's location
     */
    public String savepoint(String jobId, String targetDirectory, SavepointFormat format, Duration timeout,
            LongConsumer waited) {
        ObjectNode body = json.createObjectNode();
        if (targetDirectory != null) {
            body.put("target-directory", targetDirectory);
        }
        body.put("cancel-job", false);
        body.put("formatType", format.name());
        String trigger = post("jobs/" + jobId + "/savepoints", body).path("request-id").asText();
        return await(jobId, trigger, "savepoint", timeout, waited);
    }

    /**
     * Stops a job with a savepoint and waits for it: the job's sources stop, a final savepoint is
     * taken, and the job ends FINISHED.
     *
     * @param drain whether to advance event time to the end first (fires every timer)
     * @return the savepoint's location
     */
    public String stop(String jobId, String targetDirectory, boolean drain, SavepointFormat format, Duration timeout,
            LongConsumer waited) {
        ObjectNode body = json.createObjectNode();
        if (targetDirectory != null) {
            body.put("targetDirectory", targetDirectory);
        }
        body.put("drain", drain);
        body.put("formatType", format.name());
        String trigger = post("jobs/" + jobId + "/stop", body).path("request-id").asText();
        return await(jobId, trigger, "stop-with-savepoint", timeout, waited);
    }

    /** The savepoint or checkpoint the job was started from, if any. */
    public Optional<String> restoredFrom(String jobId) {
        JsonNode restored = get("jobs/" + jobId + "/checkpoints").path("latest").path("restored");
        String path = restored.path("external_path").asText("");
        return path.isEmpty() || path.equals("<checkpoint-not-externally-addressable>") ? Optional.empty() : Optional.of(path);
    }

    private String await(String jobId, String trigger, String what, Duration timeout, LongConsumer waited) {
        long start = System.nanoTime();
        long lastReport = 0;
        while (true) {
            JsonNode result = get("jobs/" + jobId + "/savepoints/" + trigger);
            if (result.path("status").path("id").asText().equals("COMPLETED")) {
                JsonNode operation = result.path("operation");
                if (operation.hasNonNull("location")) {
                    return operation.path("location").asText();
                }
                throw new SetupException("The " + what + " of job " + jobId + " failed: " + cause(operation.path("failure-cause"))
                        + "; the job keeps running from its checkpoints, see the JobManager log");
            }
            long elapsed = (System.nanoTime() - start) / 1_000_000;
            if (elapsed > timeout.toMillis()) {
                throw new SetupException("The " + what + " of job " + jobId + " did not complete within " + timeout.toSeconds()
                        + " s: it may still finish (see the Flink UI at " + base + "); wait longer with --timeout");
            }
            if (elapsed - lastReport >= 5000) {
                lastReport = elapsed;
                waited.accept(elapsed);
            }
            sleep();
        }
    }

    /** The innermost message of a failure the REST API reports, without its stack trace. */
    private static String cause(JsonNode failure) {
        String trace = failure.path("stack-trace").asText("");
        String innermost = firstLine(trace);
        for (String line : trace.split("\n")) {
            if (line.startsWith("Caused by: ")) {
                innermost = line.substring("Caused by: ".length());
            }
        }
        return innermost.isBlank() ? failure.path("class").asText("unknown cause") : innermost.strip();
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }

    private JsonNode get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).timeout(REQUEST_TIMEOUT).GET().build());
    }

    private JsonNode post(String path, JsonNode body) {
        return send(HttpRequest.newBuilder(base.resolve(path)).timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build());
    }

    private JsonNode send(HttpRequest request) {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new SetupException("Cannot reach the JobManager at " + base + ": check --jobmanager and that the job is up");
        } catch (HttpTimeoutException e) {
            throw new SetupException("The JobManager at " + base + " did not answer " + request.uri().getPath()
                    + " within " + REQUEST_TIMEOUT.toSeconds() + " s: it may be overloaded; try again");
        } catch (IOException e) {
            throw new SetupException("Talking to the JobManager at " + base + " failed: " + SetupException.firstLine(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SetupException("Interrupted while waiting for the JobManager at " + base, e);
        }
        JsonNode body;
        try {
            body = json.readTree(response.body());
        } catch (IOException e) {
            throw new SetupException(base + " answered " + request.uri().getPath() + " with something other than JSON (HTTP "
                    + response.statusCode() + "): is --jobmanager the Flink REST endpoint?");
        }
        if (response.statusCode() >= 300) {
            String errors = body.path("errors").isArray() && !body.path("errors").isEmpty()
                    ? firstLine(body.path("errors").get(0).asText()) : "no reason given";
            throw new SetupException("The JobManager refused " + request.method() + " " + request.uri().getPath()
                    + " (HTTP " + response.statusCode() + "): " + errors);
        }
        return body;
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SetupException("Interrupted while waiting for a savepoint", e);
        }
    }
}
