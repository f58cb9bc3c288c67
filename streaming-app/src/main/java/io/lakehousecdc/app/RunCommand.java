package io.lakehousecdc.app;

import io.lakehousecdc.app.config.LakehouseConfig;
import io.lakehousecdc.app.control.ControlPlane;
import io.lakehousecdc.app.control.NewTableWatch;
import io.lakehousecdc.app.feed.WarehouseFeedRunner;
import io.lakehousecdc.app.job.ClusterPipeline;
import io.lakehousecdc.app.job.EmbeddedPipeline;
import io.lakehousecdc.app.job.EvolvingPipeline;
import io.lakehousecdc.app.job.PipelineJob;
import io.lakehousecdc.core.PipelineOptions;
import io.lakehousecdc.core.SetupException;
import io.lakehousecdc.source.SchemaChangedException;
import io.lakehousecdc.warehouse.WarehouseOptions;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code lakehouse run}: the streaming job, until stopped. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs the streaming job on an embedded Flink cluster until it is stopped (Ctrl-C);",
                "started by a Flink cluster (application mode, flink run), runs it on that cluster."})
final class RunCommand implements Callable<Integer> {

    /** How often a running job looks for source tables created since a whole-database onboarding. */
    private static final Duration NEW_TABLE_CHECK_INTERVAL = Duration.ofMinutes(10);

    @Mixin
    ConfigOptionsMixin options;

    @Option(names = "--from-savepoint", paramLabel = "PATH|latest",
            description = "Resume from a savepoint or retained checkpoint; 'latest' takes the newest one.")
    String fromSavepoint;

    @Option(names = "--allow-non-restored-state", description = "Resume even if some saved state has no operator any more.")
    boolean allowNonRestoredState;

    @Override
    public Integer call() throws Exception {
        LakehouseConfig config = options.load();
        PipelineJob job = PipelineJob.prepare(config);
        job.warnings().forEach(w -> System.err.println("warning: " + w));
        Optional<StreamExecutionEnvironment> cluster = ClusterPipeline.context();
        if (cluster.isPresent()) {
            if (fromSavepoint != null) {
                throw new SetupException("--from-savepoint does not apply inside a Flink cluster, which restores the job itself:"
                        + " set job.initialSavepointPath (Kubernetes operator) or pass -s to flink run");
            }
            System.out.println("Running " + job.tables().size() + " tables on the Flink cluster that started this program.");
            if (WarehouseFeedRunner.configured(config)) {
                System.out.println("The warehouse models are fed by lakehouse feed, run beside the cluster with the same config.");
            }
            ClusterPipeline.run(job, cluster.get());
            return 0;
        }
        StopSignal stop = StopSignal.install();
        try (EvolvingPipeline evolving = EvolvingPipeline.start(config, job, fromSavepoint, allowNonRestoredState);
                WarehouseFeedRunner feed = WarehouseFeedRunner.configured(config) ? WarehouseFeedRunner.start(config) : null;
                NewTableWatch newTables = ControlPlane.configured(config) ? NewTableWatch.start(ControlPlane.open(config),
                        NEW_TABLE_CHECK_INTERVAL, w -> System.err.println("warning: " + w)) : null) {
            EmbeddedPipeline pipeline = evolving.current();
            System.out.println("Flink web UI: " + pipeline.webUi());
            job.global().getOptional(PipelineOptions.PROMETHEUS_PORT)
                    .ifPresent(port -> System.out.println("Prometheus metrics: http://localhost:" + port + "/metrics"));
            System.out.println("Job " + pipeline.jobId() + " is running " + job.tables().size() + " tables; Ctrl-C stops it.");
            System.out.println("Checkpoints: " + pipeline.checkpointDir() + " (resume with --from-savepoint latest)");
            if (feed != null) {
                System.out.println("Warehouse feed: following the lake's raw zone into the models of "
                        + config.warehouse().get(WarehouseOptions.MODELS));
            }
            boolean feedFailureShown = false;
            while (true) {
                if (evolving.current().status().isGloballyTerminalState()) {
                    SchemaChangedException change = evolving.rebuildIfColumnsChanged();
                    if (change == null) {
                        break;
                    }
                    System.out.println(change.getMessage() + ". Job " + evolving.current().jobId() + " resumed; Flink web UI: "
                            + evolving.current().webUi());
                }
                if (feed != null && feed.failure().isPresent() && !feedFailureShown) {
                    System.err.println("error: the warehouse feed stopped, the lake job keeps running: " + feed.failure().get().getMessage());
                    feedFailureShown = true;
                }
                if (stop.await(1000)) {
                    System.out.println("Stopping; the job resumes from its last checkpoint with --from-savepoint latest.");
                    evolving.current().cancel();
                    return 0;
                }
            }
            evolving.current().awaitTermination();
            return 0;
        } finally {
            stop.finished();
        }
    }
}
