package io.lakehousecdc.lake;

import io.lakehousecdc.core.LakeSchema;
import io.lakehousecdc.core.LakeZone;
import io.lakehousecdc.core.TableId;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.types.logical.BigIntType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.hudi.common.config.SerializableConfiguration;
import org.apache.hudi.common.model.HoodieTableType;
import org.apache.hudi.common.table.HoodieTableMetaClient;
import org.apache.hudi.hive.HiveSyncTool;
import org.apache.hudi.sink.utils.HiveSyncContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Hudi's Glue sync, run with the job's classpath and a table's derived settings against a local
 * endpoint that speaks Glue's JSON protocol for the first calls of a sync: it proves the sync's
 * classes load, find the endpoint, region and credentials the SDK's way, and ask for the
 * database and table names the lake promises.
 */
class GlueRegistrationTest {

    @TempDir
    Path lakeDir;

    private HttpServer glue;
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private volatile boolean databaseCreated;

    @BeforeEach
    void startGlue() throws IOException {
        glue = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        glue.createContext("/", this::answer);
        glue.start();
        System.setProperty("aws.endpointUrlGlue", "http://127.0.0.1:" + glue.getAddress().getPort());
        System.setProperty("aws.region", "ap-southeast-3");
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
    }

    @AfterEach
    void stopGlue() {
        List.of("aws.endpointUrlGlue", "aws.region", "aws.accessKeyId", "aws.secretAccessKey").forEach(System::clearProperty);
        glue.stop(0);
    }

    @Test
    void aMergeOnReadTableIsLookedUpAsItsReadOptimizedViewInTheCreatedDatabase() throws Exception {
        LakeSchema schema = LakeSchema.of(TableId.mysql("clinic", "clinic", "visits"),
                List.of(new RowType.RowField("id", new BigIntType(false))), List.of("id"));
        LakeTable table = new LakeTable(schema, lakeDir.toUri().toString(), LakeOptions.TableType.MERGE_ON_READ, null, Map.of(),
                TableIndex.STATE, null, null, true);
        HoodieTableMetaClient.withPropertyBuilder()
                .setTableType(HoodieTableType.MERGE_ON_READ)
                .setTableName(table.name())
                .setRecordKeyFields("id")
                .initTable(new org.apache.hadoop.conf.Configuration(), table.path(LakeZone.PROCESSED));
        Configuration lake = new Configuration();
        lake.set(LakeOptions.CATALOG_TYPE, "glue");
        lake.set(LakeOptions.CATALOG_DATABASE, "analytics");
        Configuration options = Configuration.fromMap(ProcessedZoneSink.hudiOptions(table, lake, 1));

        HiveSyncContext context = HiveSyncContext.create(
                options, new SerializableConfiguration(new org.apache.hadoop.conf.Configuration()));
        try (HiveSyncTool sync = context.hiveSyncTool()) {
            // The table has no commit yet, so the sync stops once it needs the table's schema.
            catchThrowable(sync::syncHoodieTable);
        }

        assertThat(calls).containsSubsequence(
                "GetDatabase {\"Name\":\"analytics\"}",
                "CreateDatabase {\"DatabaseInput\":{\"Name\":\"analytics\"",
                "GetTable {\"DatabaseName\":\"analytics\",\"Name\":\"clinic_clinic_visits_ro\"}");
    }

    private void answer(HttpExchange exchange) throws IOException {
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        String operation = target == null ? "?" : target.substring(target.indexOf('.') + 1);
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        calls.add(operation + " " + body.substring(0, Math.min(body.length(), bodyPrefix(operation, body))));
        switch (operation) {
            case "CreateDatabase" -> {
                databaseCreated = true;
                reply(exchange, 200, "{}");
            }
            case "GetDatabase" -> {
                if (databaseCreated) {
                    reply(exchange, 200, "{\"Database\":{\"Name\":\"analytics\"}}");
                } else {
                    notFound(exchange);
                }
            }
            default -> notFound(exchange);
        }
    }

    /** CreateDatabase also sends a description and location that are Hudi's business, not ours. */
    private static int bodyPrefix(String operation, String body) {
        return operation.equals("CreateDatabase") ? "{\"DatabaseInput\":{\"Name\":\"analytics\"".length() : body.length();
    }

    private static void notFound(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().add("x-amzn-ErrorType", "EntityNotFoundException");
        reply(exchange, 400, "{\"__type\":\"EntityNotFoundException\",\"Message\":\"not found\"}");
    }

    private static void reply(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
