package io.lakehousecdc.app;

import io.lakehousecdc.app.config.LakeLayout;
import io.lakehousecdc.app.config.LakehouseConfig;
import io.lakehousecdc.app.query.LakeQuery;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.client.JobStatusMessage;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code lakehouse run} started by a Flink cluster, as the Kubernetes operator's application
 * mode and {@code flink run} start it: the job goes to that cluster, with the checkpoint
 * interval and name of its configuration, instead of an embedded cluster of its own.
 */
class RunInsideAFlinkClusterITCase {

    @TempDir
    static Path dir;

    private static LocalMySql mysql;
    private static MiniCluster cluster;

    @BeforeAll
    static void startClusterAndSource() throws Exception {
        mysql = LocalMySql.createDatabase("it_cluster");
        mysql.execute("CREATE TABLE visits (id INT PRIMARY KEY, patient VARCHAR(50) NOT NULL)",
                "INSERT INTO visits VALUES (1, 'Ayu'), (2, 'Budi')");
        Configuration flink = new Configuration();
        flink.setString("state.checkpoints.dir", dir.resolve("cluster-checkpoints").toUri().toString());
        flink.setString("taskmanager.memory.managed.size", "64m");
        flink.setString("taskmanager.memory.network.min", "64m");
        flink.setString("taskmanager.memory.network.max", "64m");
        cluster = new MiniCluster(new MiniClusterConfiguration.Builder().setConfiguration(flink)
                .setNumTaskManagers(1).setNumSlotsPerTaskManager(2).build());
        cluster.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
        if (mysql != null) {
            mysql.close();
        }
    }

    @Test
    void theJobRunsOnTheClusterThatStartedIt() throws Exception {
        Path config = dir.resolve("lakehouse.yaml");
        Files.writeString(config, """
                pipeline:
                  name: in-cluster
                  checkpoint-interval: 1500ms
                sources:
                %s
                lake:
                  base-path: %s
                tables:
                  - source: clinic
                    table: %s.visits
                """.formatted(LocalMySql.sourceYaml("clinic", dir.resolve("cdc-password")), dir.resolve("lake"), mysql.database));

        StartedByCluster.install(cluster);
        CompletableFuture<CliRun> run = CompletableFuture.supplyAsync(() -> CliRun.of("run", "--config", config.toString()));
        JobStatusMessage job;
        try {
            job = awaitRunningJob(run);
        } finally {
            // The lake queries below run their own batch jobs, on a cluster of their own.
            StartedByCluster.uninstall();
        }
        assertThat(job.getJobName()).isEqualTo("in-cluster");
        assertThat(cluster.getExecutionGraph(job.getJobId()).get(30, TimeUnit.SECONDS)
                .getCheckpointCoordinatorConfiguration().getCheckpointInterval()).isEqualTo(1500);

        mysql.execute("INSERT INTO visits VALUES (3, 'Citra')", "UPDATE visits SET patient = 'Ayu Lestari' WHERE id = 1");
        LakehouseConfig lake = LakehouseConfig.load(config, List.of());
        awaitRows(lake, List.of("1|Ayu Lestari", "2|Budi", "3|Citra"));

        cluster.cancelJob(job.getJobId()).get(60, TimeUnit.SECONDS);
        CliRun ended = run.get(60, TimeUnit.SECONDS);
        assertThat(ended.out()).contains("Running 1 tables on the Flink cluster that started this program.")
                .doesNotContain("Flink web UI");

        StartedByCluster.install(cluster);
        CliRun restore;
        try {
            restore = CliRun.of("run", "--config", config.toString(), "--from-savepoint", "latest");
        } finally {
            StartedByCluster.uninstall();
        }
        assertThat(restore.code()).isEqualTo(1);
        assertThat(restore.err()).contains("--from-savepoint does not apply inside a Flink cluster");
    }

    private static JobStatusMessage awaitRunningJob(CompletableFuture<CliRun> run) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            if (run.isDone()) {
                throw new AssertionError("lakehouse run ended before its job ran: " + run.get().err());
            }
            Collection<JobStatusMessage> jobs = cluster.listJobs().get();
            for (JobStatusMessage job : jobs) {
                if (!job.getJobState().isGloballyTerminalState()) {
                    return job;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("No job reached the cluster within 2 minutes");
    }

    private static void awaitRows(LakehouseConfig config, List<String> expected) throws Exception {
        String table = "clinic_" + mysql.database + "_visits";
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        List<String> rows = List.of();
        while (System.nanoTime() < deadline) {
            LakeQuery query = LakeQuery.over(LakeLayout.processedTables(config));
            if (query.tableNames().contains(table)) {
                rows = query.run("SELECT id, patient FROM " + table + " ORDER BY id").rows().stream()
                        .map(r -> r.getField(0) + "|" + r.getField(1)).toList();
                if (rows.equals(expected)) {
                    return;
                }
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("The lake did not reach " + expected + "; last read " + rows);
    }
}
