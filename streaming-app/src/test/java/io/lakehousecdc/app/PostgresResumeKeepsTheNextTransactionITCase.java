package io.lakehousecdc.app;

import io.lakehousecdc.app.config.LakeLayout;
import io.lakehousecdc.app.config.LakehouseConfig;
import io.lakehousecdc.app.job.EmbeddedPipeline;
import io.lakehousecdc.app.job.PipelineJob;
import io.lakehousecdc.app.query.LakeQuery;

import org.apache.flink.types.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A PostgreSQL transaction committed while the job is stopped reaches the lake after the resume,
 * also when it is the next record in the WAL after the last commit the job saw. There the
 * transaction's BEGIN and first change carry the LSN of that commit, which the saved position
 * holds, and Debezium 1.9's resume search used to take them for changes already read.
 */
class PostgresResumeKeepsTheNextTransactionITCase {

    private static final int ROUNDS = 4;

    @TempDir
    static Path dir;

    private static LocalPostgres postgres;
    private static LakehouseConfig config;

    @BeforeAll
    static void createSource() throws Exception {
        postgres = LocalPostgres.createDatabase("it_pg_resume");
        postgres.execute("CREATE TABLE orders (id INT PRIMARY KEY, label TEXT NOT NULL)",
                "INSERT INTO orders VALUES (1, 'first'), (2, 'second')");
        postgres.publish("orders");
        Path configFile = dir.resolve("lakehouse.yaml");
        Files.writeString(configFile, """
                pipeline:
                  name: pg-resume-it
                  checkpoint-interval: 1s
                  web-ui-port: 0
                sources:
                %s
                lake:
                  base-path: %s
                tables:
                  - source: pharmacy
                    table: public.orders
                """.formatted(postgres.sourceYaml("pharmacy", dir.resolve("pg-password")), dir.resolve("lake")));
        config = LakehouseConfig.load(configFile, List.of());
    }

    @AfterAll
    static void dropSource() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void aTransactionRightAfterTheLastSeenCommitIsNotSkipped() throws Exception {
        String savepoint = null;
        int adjacent = 0;
        for (int round = 1; round <= ROUNDS; round++) {
            try (EmbeddedPipeline pipeline = EmbeddedPipeline.start(PipelineJob.prepare(config), savepoint, false)) {
                awaitLakeEqualsSource();
                postgres.execute("UPDATE orders SET label = 'round " + round + "' WHERE id = 1");
                long lastCommitEnd = insertPosition();
                awaitLakeEqualsSource();
                // Idle for a few heartbeats: the saved position becomes that commit's.
                Thread.sleep(3_000);
                savepoint = CliRun.of("savepoint", "stop", "--jobmanager", pipeline.webUi().toString()).succeeded().strip();
                if (insertPosition() == lastCommitEnd) {
                    adjacent++;
                }
                postgres.execute("INSERT INTO orders VALUES (" + (10 + round) + ", 'while stopped " + round + "')");
            }
        }
        try (EmbeddedPipeline pipeline = EmbeddedPipeline.start(PipelineJob.prepare(config), savepoint, false)) {
            awaitLakeEqualsSource();
            // The change log commits on the same checkpoints as the table.
            pipeline.awaitCheckpoints(2, Duration.ofMinutes(1));
            pipeline.cancel();
        }
        assertThat(adjacent).as("rounds where the WAL held nothing between the last commit read and the next transaction")
                .isPositive();
        // Nothing read twice either: the change log holds the two snapshot rows and each round's two changes once.
        String counts = "SELECT COUNT(*), COUNT(DISTINCT %s) FROM " + lakeTable() + "_raw WHERE _cdc_op %s 'r'";
        assertThat(changeLog(counts.formatted("id", "="))).isEqualTo("+I[2, 2]");
        assertThat(changeLog(counts.formatted("_cdc_seq", "<>"))).isEqualTo("+I[" + 2 * ROUNDS + ", " + 2 * ROUNDS + "]");
    }

    private static String changeLog(String query) throws Exception {
        List<Row> rows = LakeQuery.over(LakeLayout.rawTables(config, config.tables())).run(query).rows();
        return rows.size() == 1 ? rows.get(0).toString() : rows.toString();
    }

    private static long insertPosition() throws Exception {
        return Long.parseLong(Eventually.rows(postgres.connection(),
                "SELECT (pg_current_wal_insert_lsn() - '0/0'::pg_lsn)::bigint").get(0));
    }

    private static void awaitLakeEqualsSource() throws Exception {
        Eventually.until(Duration.ofMinutes(2), () -> lakeRows().equals(sourceRows()),
                () -> "The lake lost a change.\nsource: " + sourceRows() + "\nlake:   " + lakeRows());
    }

    private static List<String> sourceRows() throws Exception {
        return Eventually.rows(postgres.connection(), "SELECT id, label FROM orders ORDER BY id");
    }

    private static String lakeTable() {
        return "pharmacy_" + postgres.database + "_orders";
    }

    private static List<String> lakeRows() throws Exception {
        String table = lakeTable();
        LakeQuery query = LakeQuery.over(LakeLayout.processedTables(config));
        if (!query.tableNames().contains(table)) {
            return List.of();
        }
        return query.run("SELECT id, label FROM " + table + " ORDER BY id").rows().stream()
                .map(r -> r.getField(0) + "|" + r.getField(1)).toList();
    }
}
