package io.lakehousecdc.app;

import io.lakehousecdc.app.config.LakeLayout;
import io.lakehousecdc.app.config.LakehouseConfig;
import io.lakehousecdc.app.job.EmbeddedPipeline;
import io.lakehousecdc.app.job.PipelineJob;
import io.lakehousecdc.app.query.LakeQuery;

import org.apache.flink.types.Row;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The DMS raw zone on a real S3-compatible server (S3Proxy, in-process) read through the AWS SDK:
 * a full load, then CSV and Parquet change files in date folders, a kill and restart in the
 * middle, a late file in an older folder and a malformed row; every file is read once and the
 * lake ends as expected.
 */
class DmsToHudiITCase {
    private static final String BUCKET = "raw";
    private static final String TABLE_DIR = "dms/clinic/visits/";

    @TempDir
    static Path dir;

    private static S3Proxy s3proxy;
    private static S3Client s3;
    private static LakehouseConfig config;

    @BeforeAll
    static void startS3() throws Exception {
        BlobStoreContext blobs = ContextBuilder.newBuilder("transient").build(BlobStoreContext.class);
        s3proxy = S3Proxy.builder()
                .blobStore(blobs.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.NONE, null, null)
                .build();
        s3proxy.start();
        while (!"STARTED".equals(s3proxy.getState())) {
            Thread.sleep(50);
        }
        URI endpoint = URI.create("http://127.0.0.1:" + s3proxy.getPort());
        // The job's S3 client takes credentials from the SDK's default chain, as on AWS.
        System.setProperty("aws.accessKeyId", "local");
        System.setProperty("aws.secretAccessKey", "local");
        s3 = S3Client.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.US_EAST_1)
                .endpointOverride(endpoint).forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build();
        s3.createBucket(b -> b.bucket(BUCKET));
        put("_schema.yaml", """
                key: [id]
                columns:
                  - {name: id, type: BIGINT}
                  - {name: patient, type: VARCHAR(50)}
                  - {name: started_at, type: TIMESTAMP(3)}
                  - name: fee
                    type: DECIMAL(10,2)
                """);

        Path configFile = dir.resolve("lakehouse.yaml");
        Files.writeString(configFile, """
                pipeline:
                  name: dms-it
                  checkpoint-interval: 1s
                  web-ui-port: 0
                sources:
                  - id: legacy
                    type: dms
                    path: s3://%s/dms
                    s3.endpoint: %s
                    s3.region: us-east-1
                    poll-interval: 300ms
                    server-time-zone: UTC
                lake:
                  base-path: %s
                tables:
                  - source: legacy
                    table: clinic.visits
                """.formatted(BUCKET, endpoint, dir.resolve("lake")));
        config = LakehouseConfig.load(configFile, List.of());
    }

    @AfterAll
    static void stopS3() throws Exception {
        if (s3proxy != null) {
            s3proxy.stop();
        }
    }

    private static void put(String name, String content) {
        s3.putObject(b -> b.bucket(BUCKET).key(TABLE_DIR + name), RequestBody.fromString(content));
    }

    /** A change file as DMS writes it in Parquet format: Op, then the columns, timestamps in micros. */
    private static void putParquet(String name, Object[]... rows) throws Exception {
        MessageType schema = MessageTypeParser.parseMessageType("""
                message visits {
                  optional binary Op (STRING);
                  optional int64 id;
                  optional binary patient (STRING);
                  optional int64 started_at (TIMESTAMP(MICROS,false));
                  optional int64 fee (DECIMAL(10,2));
                }
                """);
        Path file = dir.resolve("parquet-" + System.nanoTime() + ".parquet");
        SimpleGroupFactory groups = new SimpleGroupFactory(schema);
        try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(new org.apache.hadoop.fs.Path(file.toUri()))
                .withType(schema).withConf(new org.apache.hadoop.conf.Configuration()).build()) {
            for (Object[] row : rows) {
                LocalDateTime started = (LocalDateTime) row[3];
                Group g = groups.newGroup().append("Op", (String) row[0]).append("id", (Long) row[1])
                        .append("patient", (String) row[2])
                        .append("started_at", started.toEpochSecond(java.time.ZoneOffset.UTC) * 1_000_000 + started.getNano() / 1000);
                if (row[4] != null) {
                    g.append("fee", (Long) row[4]);
                }
                writer.write(g);
            }
        }
        s3.putObject(b -> b.bucket(BUCKET).key(TABLE_DIR + name), RequestBody.fromFile(file));
    }

    @Test
    void fullLoadThenChangesSurviveARestartAndEveryFileIsReadOnce() throws Exception {
        put("LOAD00000001.csv", """
                1,Ayu,2024-01-01 17:30:00,10.00
                2,Budi,2024-01-01 10:00:00,20.00
                3,"Citra, S.",2024-01-01 03:00:00,
                """);
        put("2024/01/02/20240102-100000000.csv", """
                I,4,Dewi,2024-01-02 01:00:00,40.00
                U,1,Ayu Lestari,2024-01-01 17:30:00,11.00
                D,2,Budi,2024-01-01 10:00:00,20.00
                """);
        EmbeddedPipeline first = EmbeddedPipeline.start(PipelineJob.prepare(config), null, false);
        try {
            awaitLake(List.of(
                    "1|Ayu Lestari|2024-01-02T00:30:00|11.00",
                    "3|Citra, S.|2024-01-01T10:00:00|NULL",
                    "4|Dewi|2024-01-02T08:00:00|40.00"));
            put("2024/01/02/20240102-110000000.csv", """
                    I,5,Eko,2024-01-03 00:00:00,50.00
                    U,3,"Citra, S.",2024-01-01 03:00:00,30.00
                    """);
            awaitCaptured(first, 8);
            first.awaitCheckpoints(2, Duration.ofMinutes(1));
        } finally {
            first.close();
        }

        put("2024/01/02/20240102-120000000.csv", """
                D,4,Dewi,2024-01-02 01:00:00,40.00
                U,7,Gita,not a time,70.00
                """);
        // A file that arrives late in an older date folder.
        put("2024/01/01/20240102-115900000.csv", "I,6,Fitri,2024-01-01 12:00:00,60.00\n");
        putParquet("2024/01/02/20240102-121000000.parquet",
                new Object[] {"U", 3L, "Citra, S.", LocalDateTime.parse("2024-01-01T03:00:00"), 3300L},
                new Object[] {"I", 8L, "Hadi", LocalDateTime.parse("2024-01-04T05:00:00.123"), null});
        try (EmbeddedPipeline resumed = EmbeddedPipeline.start(PipelineJob.prepare(config), "latest", false)) {
            awaitLake(List.of(
                    "1|Ayu Lestari|2024-01-02T00:30:00|11.00",
                    "3|Citra, S.|2024-01-01T10:00:00|33.00",
                    "5|Eko|2024-01-03T07:00:00|50.00",
                    "6|Fitri|2024-01-01T19:00:00|60.00",
                    "8|Hadi|2024-01-04T12:00:00.123|NULL"));
            // Only the rows of the three new files: nothing read before the restart was read again.
            awaitCaptured(resumed, 4);
            Thread.sleep(1500);
            assertThat(resumed.captured()).containsValue(4L);
            resumed.cancel();
        }

        List<String> failed = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir.resolve("lake/_failed_events/legacy"))) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".jsonl")).toList()) {
                failed.addAll(Files.readAllLines(file));
            }
        }
        assertThat(failed).singleElement().asString()
                .contains("clinic/visits/2024/01/02/20240102-120000000.csv line 2: column started_at")
                .contains("U,7,Gita,not a time,70.00");
    }

    private static void awaitCaptured(EmbeddedPipeline pipeline, long rows) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (pipeline.captured().values().stream().mapToLong(Long::longValue).sum() < rows) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("captured " + pipeline.captured() + ", expected " + rows);
            }
            Thread.sleep(200);
        }
    }

    private static void awaitLake(List<String> expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        List<String> lake = List.of();
        while (System.nanoTime() < deadline) {
            LakeQuery query = LakeQuery.over(LakeLayout.processedTables(config));
            if (query.tableNames().contains("legacy_clinic_visits")) {
                lake = new ArrayList<>();
                for (Row row : query.run("SELECT id, patient, started_at, fee FROM legacy_clinic_visits ORDER BY id").rows()) {
                    lake.add(row.getField(0) + "|" + row.getField(1) + "|"
                            + DateTimeFormatter.ISO_LOCAL_DATE_TIME.format((LocalDateTime) row.getField(2)) + "|"
                            + (row.getField(3) == null ? "NULL" : ((java.math.BigDecimal) row.getField(3)).toPlainString()));
                }
                if (lake.equals(expected)) {
                    return;
                }
            }
            Thread.sleep(1000);
        }
        throw new TimeoutException("Lake did not reach the expected rows.\nexpected: " + expected + "\nlake:     " + lake);
    }
}
