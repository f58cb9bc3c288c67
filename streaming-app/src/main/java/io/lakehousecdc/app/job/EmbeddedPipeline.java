package io.lakehousecdc.app.job;

import io.lakehousecdc.app.config.LakeLayout;
import io.lakehousecdc.core.PipelineOptions;
import io.lakehousecdc.core.SetupException;
import io.lakehousecdc.lake.LakeStorage;
import io.lakehousecdc.lake.LakeTable;
import io.lakehousecdc.savepoints.SavepointDirectory;
import io.lakehousecdc.savepoints.StoredSavepoint;
import io.lakehousecdc.source.SchemaChangedException;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.metrics.prometheus.PrometheusReporterFactory;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.ExceptionUtils;
import org.apache.flink.util.OptionalFailure;
import org.apache.flink.util.SerializedThrowable;
import org.apache.flink.util.SerializedValue;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a {@link PipelineJob} on a Flink cluster inside this process, with the Flink web UI,
 * checkpoints retained on cancellation so that a later run can resume from them.
 */
public final class EmbeddedPipeline implements AutoCloseable {

    private final MiniCluster cluster;
    private final JobID jobId;
    private final PipelineJob job;
    private final String checkpointDir;

    private EmbeddedPipeline(MiniCluster cluster, JobID jobId, PipelineJob job, String checkpointDir) {
        this.cluster = cluster;
        this.jobId = jobId;
        this.job = job;
        this.checkpointDir = checkpointDir;
    }

    /**
     * Starts the cluster and submits the job.
     *
     * @param restoreFrom a checkpoint or savepoint path to resume from, {@code latest}, or null
     */
    public static EmbeddedPipeline start(PipelineJob job, String restoreFrom, boolean allowNonRestoredState) throws Exception {
        Configuration global = job.global();
        String checkpointDir = LakeLayout.checkpointDir(global);
        String restorePath = "latest".equals(restoreFrom) ? latest(checkpointDir) : restoreFrom;

        Configuration flink = flinkConfiguration(global, checkpointDir);
        // The cluster runs in this process: its checkpoints and the failed-events files reach an
        // s3a:// lake through this process's file systems, set up with the lake's settings.
        FileSystem.initialize(flink, null);
        StreamExecutionEnvironment env = new StreamExecutionEnvironment(flink);
        job.build(env);
        JobGraph graph = env.getStreamGraph().getJobGraph();
        graph.setJobID(new JobID());
        if (restorePath != null) {
            graph.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(restorePath, allowNonRestoredState));
        }

        int slots = global.get(PipelineOptions.PARALLELISM);
        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(flink)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(slots)
                .build());
        try {
            cluster.start();
            JobID id = cluster.submitJob(graph).get().getJobID();
            return new EmbeddedPipeline(cluster, id, job, checkpointDir);
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
    }

    /**
     * The Flink settings every run of the job uses: checkpointing, restarts, memory, the REST
     * endpoint, and the Prometheus reporter when a port is set for it.
     */
    public static Configuration flinkConfiguration(Configuration global, String checkpointDir) {
        Configuration flink = PipelineJob.jobSettings(global);
        flink.setString("parallelism.default", String.valueOf(global.get(PipelineOptions.PARALLELISM)));
        LakeStorage.from(global).flinkOptions().forEach(flink::setString);
        // Hadoop caches one s3a file system per bucket for the whole process, made under the class
        // loader of the job that opened it first; in this process every job's class loader is this
        // process's own, so it stays usable after that job ends (by queries, by the next run).
        flink.setString("classloader.check-leaked-classloader", "false");
        flink.setString("state.checkpoints.dir", checkpointDir);
        flink.setString("state.savepoints.dir", checkpointDir + "/savepoints");
        flink.setString("state.checkpoints.num-retained", "3");
        flink.setString("restart-strategy.type", "fixed-delay");
        flink.setString("restart-strategy.fixed-delay.attempts", "3");
        flink.setString("restart-strategy.fixed-delay.delay", "5 s");
        flink.setString("rest.bind-address", "127.0.0.1");
        flink.setString("rest.address", "127.0.0.1");
        flink.setString("rest.port", String.valueOf(global.get(PipelineOptions.WEB_UI_PORT)));
        // Accumulators (the captured-row counts) travel with heartbeats; keep them fresh.
        flink.setString("heartbeat.interval", "2000");
        flink.setString("taskmanager.memory.managed.size", "64m");
        flink.setString("taskmanager.memory.network.min", "64m");
        flink.setString("taskmanager.memory.network.max", "64m");
        // The reporter comes from the application's classpath: an embedded cluster has no plugins directory.
        global.getOptional(PipelineOptions.PROMETHEUS_PORT).ifPresent(port -> {
            flink.setString("metrics.reporter.prom.factory.class", PrometheusReporterFactory.class.getName());
            flink.setString("metrics.reporter.prom.port", String.valueOf(port));
        });
        return flink;
    }

    private static String latest(String checkpointDir) {
        return SavepointDirectory.at(checkpointDir).latest().map(StoredSavepoint::path)
                .orElseThrow(() -> new SetupException("No checkpoint or savepoint under " + checkpointDir
                        + " to resume from: run once without --from-savepoint, or pass a path"));
    }

    public URI webUi() throws ExecutionException, InterruptedException {
        return cluster.getRestAddress().get();
    }

    public JobID jobId() {
        return jobId;
    }

    public PipelineJob job() {
        return job;
    }

    public String checkpointDir() {
        return checkpointDir;
    }

    public JobStatus status() throws ExecutionException, InterruptedException {
        return cluster.getJobStatus(jobId).get();
    }

    /** Rows captured so far per lake table name, summed over the job's attempts since start. */
    public Map<String, Long> captured() throws Exception {
        Map<String, SerializedValue<OptionalFailure<Object>>> accumulators =
                graph().getAccumulatorsSerialized();
        Map<String, Long> counts = new LinkedHashMap<>();
        for (LakeTable table : job.tables()) {
            SerializedValue<OptionalFailure<Object>> value = accumulators.get(ChangeRouter.CAPTURED + table.name());
            Object count = value == null ? null
                    : value.deserializeValue(EmbeddedPipeline.class.getClassLoader()).getUnchecked();
            counts.put(table.name(), count == null ? 0L : ((Number) count).longValue());
        }
        return counts;
    }

    public long completedCheckpoints() throws Exception {
        var stats = graph().getCheckpointStatsSnapshot();
        return stats == null ? 0 : stats.getCounts().getNumberOfCompletedCheckpoints();
    }

    /** Waits until the job has completed {@code count} more checkpoints than now. */
    public void awaitCheckpoints(int count, Duration timeout) throws Exception {
        long target = completedCheckpoints() + count;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (completedCheckpoints() < target) {
            JobStatus status = status();
            if (status.isGloballyTerminalState()) {
                throw new IllegalStateException("Job ended (" + status + ") while waiting for a checkpoint");
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("No checkpoint completed within " + timeout);
            }
            Thread.sleep(200);
        }
    }

    private AccessExecutionGraph graph() throws Exception {
        return cluster.getExecutionGraph(jobId).get(30, TimeUnit.SECONDS);
    }

    /** Cancels the job; its retained checkpoints stay for a later {@code --from-savepoint latest}. */
    public void cancel() throws Exception {
        if (!status().isGloballyTerminalState()) {
            cluster.cancelJob(jobId).get(60, TimeUnit.SECONDS);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!status().isGloballyTerminalState() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }

    /** The change of a table's columns that failed the job, if that is why it ended. */
    public Optional<SchemaChangedException> schemaChange() throws Exception {
        if (status() != JobStatus.FAILED) {
            return Optional.empty();
        }
        Optional<SerializedThrowable> failure = cluster.requestJobResult(jobId).get().getSerializedThrowable();
        if (failure.isEmpty()) {
            return Optional.empty();
        }
        Throwable cause = failure.get().deserializeError(EmbeddedPipeline.class.getClassLoader());
        return ExceptionUtils.findThrowable(cause, SchemaChangedException.class);
    }

    /** Blocks until the job ends; rethrows its failure. */
    public void awaitTermination() throws Exception {
        cluster.requestJobResult(jobId).get().toJobExecutionResult(EmbeddedPipeline.class.getClassLoader());
    }

    @Override
    public void close() throws Exception {
        cluster.close();
    }
}
