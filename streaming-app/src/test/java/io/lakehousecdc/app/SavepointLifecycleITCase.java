package io.lakehousecdc.app;

import io.lakehousecdc.app.config.LakeLayout;
import io.lakehousecdc.app.config.LakehouseConfig;
import io.lakehousecdc.app.job.EmbeddedPipeline;
import io.lakehousecdc.app.job.PipelineJob;
import io.lakehousecdc.app.query.LakeQuery;
import io.lakehousecdc.core.S3Clients;
import io.lakehousecdc.savepoints.SavepointDirectory;

import org.apache.flink.api.common.JobStatus;
import org.apache.flink.types.Row;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Savepoints through the Flink REST API of a running job: trigger (both formats), list,
 * inspect, stop-with-savepoint, then a restart from {@code latest} with a table added and the
 * checkpoint interval changed; the new table is snapshotted, the others lose and duplicate
 * nothing. Finally prune keeps what the running job was restored from.
 */
class SavepointLifecycleITCase {

    private static final List<String> TABLES = List.of("visits", "doctors", "rooms");

    @TempDir
    static Path dir;

    private static LocalMySql mysql;
    private static Path twoTables;
    private static Path threeTables;

    @BeforeAll
    static void createSource() throws Exception {
        mysql = LocalMySql.createDatabase("it_savepoints");
        mysql.execute(
                "CREATE TABLE visits (id INT PRIMARY KEY, patient VARCHAR(50) NOT NULL, fee DECIMAL(10,2) NULL)",
                "CREATE TABLE doctors (id INT PRIMARY KEY, name VARCHAR(50) NOT NULL)",
                "CREATE TABLE rooms (id INT PRIMARY KEY, label VARCHAR(20) NOT NULL)",
                "INSERT INTO doctors VALUES (1, 'dr. Hadi'), (2, 'dr. Sari')",
                "INSERT INTO rooms VALUES (1, 'A-101'), (2, 'A-102')");
        insertVisits(1, 30);
        String sources = LocalMySql.sourceYaml("clinic", dir.resolve("cdc-password"));
        String tables = """
                  - source: clinic
                    table: %1$s.visits
                  - source: clinic
                    table: %1$s.doctors
                    type: COPY_ON_WRITE
                """.formatted(mysql.database);
        twoTables = write("two-tables.yaml", "1s", sources, tables);
        threeTables = write("three-tables.yaml", "2s", sources, tables + """
                  - source: clinic
                    table: %s.rooms
                """.formatted(mysql.database));
    }

    private static Path write(String name, String checkpointInterval, String sources, String tables) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, """
                pipeline:
                  name: savepoints-it
                  checkpoint-interval: %s
                  web-ui-port: 0
                sources:
                %s
                lake:
                  base-path: %s
                tables:
                %s""".formatted(checkpointInterval, sources, dir.resolve("lake"), tables));
        return file;
    }

    @AfterAll
    static void dropSource() throws Exception {
        if (mysql != null) {
            mysql.close();
        }
    }

    @Test
    void savepointsTakenThroughRestRestoreAfterAddingATable() throws Exception {
        LakehouseConfig first = LakehouseConfig.load(twoTables, List.of());
        String canonical;
        String nativeFormat;
        String stopped;
        try (EmbeddedPipeline pipeline = EmbeddedPipeline.start(PipelineJob.prepare(first), null, false)) {
            String rest = pipeline.webUi().toString();
            awaitLakeEqualsSource(first, List.of("visits", "doctors"));

            CliRun refused = CliRun.of("savepoint", "trigger", "--jobmanager", rest);
            assertThat(refused.code()).isEqualTo(1);
            assertThat(refused.err()).contains("stalls its Hudi writers").contains("savepoint stop").contains("--while-running");
            canonical = CliRun.of("savepoint", "trigger", "--while-running", "--jobmanager", rest).succeeded().strip();
            nativeFormat = CliRun.of("savepoint", "trigger", "--while-running", "--jobmanager", rest, "--format", "native")
                    .succeeded().strip();
            assertThat(Path.of(URI.create(canonical)).resolve("_metadata")).isRegularFile();
            assertThat(Path.of(URI.create(nativeFormat)).resolve("_metadata")).isRegularFile();

            String listed = CliRun.of("savepoint", "list", "--config", twoTables.toString()).succeeded();
            assertThat(listed).contains(canonical, nativeFormat).contains("savepoint");
            assertThat(CliRun.of("savepoint", "latest", "--config", twoTables.toString()).succeeded().strip())
                    .isIn(nativeFormat, latestCheckpoint(first));

            String inspected = CliRun.of("savepoint", "inspect", canonical, "--config", twoTables.toString()).succeeded();
            assertThat(inspected).contains("source/clinic", "normalize/clinic", "processed/clinic_" + mysql.database + "_visits")
                    .doesNotContain("no operator of this job");

            // Flink does not tell operators that a savepoint of a running job completed, so Hudi
            // commits what the savepoint flushed only with the next checkpoint; a writer that gets
            // rows before that checkpoint waits for the commit and holds the checkpoint up. The
            // changes come after it.
            pipeline.awaitCheckpoints(1, Duration.ofMinutes(1));
            mysql.execute("UPDATE visits SET fee = fee * 2 WHERE id <= 10", "DELETE FROM visits WHERE id BETWEEN 11 AND 13",
                    "UPDATE doctors SET name = 'dr. Hadi Santoso' WHERE id = 1");
            insertVisits(30, 40);
            // Stopped once the lake has these: a stop with rows still in Hudi's writer once hung
            // until the savepoint timed out (Hudi 0.14), which is not what this test is about.
            awaitLakeEqualsSource(first, List.of("visits", "doctors"));
            stopped = CliRun.of("savepoint", "stop", "--jobmanager", rest, "--job", pipeline.jobId().toString()).succeeded().strip();
            assertThat(pipeline.status()).isEqualTo(JobStatus.FINISHED);
        }
        assertThat(SavepointDirectory.at(LakeLayout.checkpointDir(first.global())).latest().orElseThrow().path())
                .isEqualTo(stopped);

        assertSavepointsOnS3CanBeListedAndInspected(stopped);

        // While the job is down: changes to the captured tables and to the one about to be added.
        insertVisits(40, 50);
        mysql.execute("DELETE FROM visits WHERE id = 1", "INSERT INTO rooms VALUES (3, 'B-201')");

        LakehouseConfig second = LakehouseConfig.load(threeTables, List.of());
        try (EmbeddedPipeline resumed = EmbeddedPipeline.start(PipelineJob.prepare(second), "latest", false)) {
            insertVisits(50, 60);
            mysql.execute("UPDATE rooms SET label = 'A-101b' WHERE id = 1", "UPDATE visits SET patient = 'moved' WHERE id = 2");
            awaitLakeEqualsSource(second, TABLES);
            for (String table : TABLES) {
                Row counts = query(second, "SELECT COUNT(*), COUNT(DISTINCT id) FROM " + lakeName(table)).get(0);
                assertThat(counts.getField(0)).as(table).isEqualTo(counts.getField(1)).isEqualTo((long) sourceRows(table).size());
            }

            // The resumed job checkpoints every 2 s: the newest entry is one of its checkpoints.
            CliRun pruned = CliRun.of("savepoint", "prune", "--config", threeTables.toString(), "--keep", "1",
                    "--jobmanager", resumed.webUi().toString());
            assertThat(pruned.succeeded()).contains("deleted " + canonical, "deleted " + nativeFormat);
            assertThat(pruned.err()).contains("kept what running jobs were restored from: " + stopped);
            assertThat(Path.of(URI.create(canonical))).doesNotExist();
            assertThat(Path.of(URI.create(stopped)).resolve("_metadata")).as("restored from, so kept").isRegularFile();
            resumed.cancel();
        }
    }

    @Test
    void savepointCommandsFailWithOneClearLine() {
        CliRun unreachable = CliRun.of("savepoint", "trigger", "--while-running", "--jobmanager", "http://127.0.0.1:9");
        assertThat(unreachable.code()).isEqualTo(1);
        assertThat(unreachable.err()).contains("Cannot reach the JobManager at http://127.0.0.1:9/");

        CliRun nothingToKeep = CliRun.of("savepoint", "prune", "--dir", dir.toString());
        assertThat(nothingToKeep.code()).isEqualTo(1);
        assertThat(nothingToKeep.err()).contains("--keep N").contains("--max-age");

        CliRun empty = CliRun.of("savepoint", "latest", "--dir", dir.resolve("nothing-here").toString());
        assertThat(empty.code()).isEqualTo(1);
        assertThat(empty.err()).contains("No savepoint or checkpoint under");
    }

    /** The same commands against a copy of the savepoint on S3 (S3Proxy in-process). */
    private void assertSavepointsOnS3CanBeListedAndInspected(String savepoint) throws Exception {
        BlobStoreContext blobs = ContextBuilder.newBuilder("transient").build(BlobStoreContext.class);
        S3Proxy s3proxy = S3Proxy.builder().blobStore(blobs.getBlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.NONE, null, null).build();
        s3proxy.start();
        try {
            while (!"STARTED".equals(s3proxy.getState())) {
                Thread.sleep(50);
            }
            System.setProperty("aws.accessKeyId", "local");
            System.setProperty("aws.secretAccessKey", "local");
            String endpoint = "http://127.0.0.1:" + s3proxy.getPort();
            Path local = Path.of(URI.create(savepoint));
            try (S3Client s3 = S3Clients.create("us-east-1", URI.create(endpoint)); var files = Files.walk(local)) {
                s3.createBucket(b -> b.bucket("flink-state"));
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    String key = "savepoints/" + local.getFileName() + "/" + local.relativize(file);
                    s3.putObject(b -> b.bucket("flink-state").key(key), RequestBody.fromFile(file));
                }
            }
            String onS3 = "s3://flink-state/savepoints/" + local.getFileName();

            assertThat(CliRun.of("savepoint", "list", "--dir", "s3://flink-state/savepoints", "--s3-endpoint", endpoint)
                    .succeeded()).contains(onS3).contains("savepoint");
            assertThat(CliRun.of("savepoint", "inspect", onS3, "--s3-endpoint", endpoint, "--config", twoTables.toString())
                    .succeeded()).contains("source/clinic", "processed/clinic_" + mysql.database + "_visits")
                    .doesNotContain("no operator of this job");
        } finally {
            s3proxy.stop();
        }
    }

    private static String latestCheckpoint(LakehouseConfig config) {
        return SavepointDirectory.at(LakeLayout.checkpointDir(config.global())).latest().orElseThrow().path();
    }

    private static void insertVisits(int fromInclusive, int toExclusive) throws Exception {
        StringBuilder values = new StringBuilder();
        for (int id = fromInclusive; id < toExclusive; id++) {
            values.append(values.length() == 0 ? "" : ", ").append("(").append(id).append(", 'p").append(id).append("', ")
                    .append(id).append(".25)");
        }
        mysql.execute("INSERT INTO visits VALUES " + values);
    }

    private static String lakeName(String table) {
        return "clinic_" + mysql.database + "_" + table;
    }

    private static List<Row> query(LakehouseConfig config, String sql) throws Exception {
        return LakeQuery.over(LakeLayout.processedTables(config)).run(sql).rows();
    }

    private static List<String> lakeRows(LakehouseConfig config, String table) throws Exception {
        LakeQuery query = LakeQuery.over(LakeLayout.processedTables(config));
        if (!query.tableNames().contains(lakeName(table))) {
            return List.of();
        }
        List<String> rows = new ArrayList<>();
        for (Row row : query.run("SELECT * FROM " + lakeName(table) + " ORDER BY id").rows()) {
            StringBuilder line = new StringBuilder();
            for (String column : sourceColumns(table)) {
                Object v = row.getField(column);
                line.append(line.length() == 0 ? "" : "|").append(v instanceof java.math.BigDecimal d ? d.toPlainString() : v);
            }
            rows.add(line.toString());
        }
        return rows;
    }

    private static List<String> sourceColumns(String table) {
        return switch (table) {
            case "visits" -> List.of("id", "patient", "fee");
            case "doctors" -> List.of("id", "name");
            default -> List.of("id", "label");
        };
    }

    private static List<String> sourceRows(String table) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Statement st = mysql.connection().createStatement();
                ResultSet rs = st.executeQuery("SELECT " + String.join(", ", sourceColumns(table)) + " FROM " + table + " ORDER BY id")) {
            while (rs.next()) {
                StringBuilder line = new StringBuilder();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    Object v = rs.getObject(i);
                    line.append(i == 1 ? "" : "|").append(v instanceof java.math.BigDecimal d ? d.toPlainString() : v);
                }
                rows.add(line.toString());
            }
        }
        return rows;
    }

    private static void awaitLakeEqualsSource(LakehouseConfig config, List<String> tables) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        Map<String, List<String>> lake = Map.of();
        Map<String, List<String>> source = Map.of();
        while (System.nanoTime() < deadline) {
            source = new LinkedHashMap<>();
            lake = new LinkedHashMap<>();
            for (String table : tables) {
                source.put(table, sourceRows(table));
                lake.put(table, lakeRows(config, table));
            }
            if (lake.equals(source)) {
                return;
            }
            Thread.sleep(1000);
        }
        throw new TimeoutException("Lake did not catch up with the source.\nsource: " + source + "\nlake:   " + lake);
    }
}
