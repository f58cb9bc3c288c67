package io.lakehousecdc.app.job;

import io.lakehousecdc.core.PipelineOptions;

import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.util.Optional;

/**
 * Runs a {@link PipelineJob} on the Flink cluster that started this program: application mode
 * on Kubernetes or YARN, or {@code flink run}. Flink hands such a program its own execution
 * environment; outside a cluster there is none and the job runs on an {@link EmbeddedPipeline}.
 */
public final class ClusterPipeline {

    private ClusterPipeline() {}

    /** The environment of the cluster that runs this program, when a cluster runs it. */
    public static Optional<StreamExecutionEnvironment> context() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        return env instanceof LocalStreamEnvironment ? Optional.empty() : Optional.of(env);
    }

    /**
     * Builds the job in the cluster's environment and runs it until it ends. Restoring from a
     * savepoint is the cluster's business here (the operator's {@code initialSavepointPath},
     * {@code flink run -s}), as are state directories, restarts and parallelism.
     */
    public static void run(PipelineJob job, StreamExecutionEnvironment env) throws Exception {
        env.configure(PipelineJob.jobSettings(job.global()), ClusterPipeline.class.getClassLoader());
        job.build(env);
        env.execute(job.global().get(PipelineOptions.NAME));
    }
}
