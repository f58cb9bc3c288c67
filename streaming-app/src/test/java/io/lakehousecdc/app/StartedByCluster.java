package io.lakehousecdc.app;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;

/**
 * The execution environment a Flink cluster hands the programs it starts, played by a running
 * MiniCluster: jobs the program executes are submitted to that cluster.
 */
final class StartedByCluster extends StreamExecutionEnvironment {

    private final MiniCluster cluster;

    private StartedByCluster(MiniCluster cluster, Configuration configuration) {
        super(configuration);
        this.cluster = cluster;
    }

    /** From now on, programs in this JVM run as if {@code cluster} had started them. */
    static void install(MiniCluster cluster) {
        initializeContextEnvironment(configuration -> new StartedByCluster(cluster, new Configuration()));
    }

    static void uninstall() {
        resetContextEnvironment();
    }

    @Override
    public JobExecutionResult execute(StreamGraph streamGraph) throws Exception {
        JobID id = cluster.submitJob(streamGraph.getJobGraph()).get().getJobID();
        return cluster.requestJobResult(id).get().toJobExecutionResult(getClass().getClassLoader());
    }
}
