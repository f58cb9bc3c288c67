package io.lakehousecdc.warehouse.redshift;

import io.lakehousecdc.warehouse.sql.Sql;
import io.lakehousecdc.warehouse.sql.StagedRows;
import io.lakehousecdc.warehouse.sql.WarehouseException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.apache.flink.table.types.logical.BigIntType;
import org.apache.flink.table.types.logical.VarCharType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Data API path with the SDK's real client, against a local endpoint that speaks the Data
 * API's JSON protocol (and, for the staging file, S3's PUT and DELETE).
 */
class DataApiConnectionTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpServer server;
    /** Requests received: the X-Amz-Target (or the S3 method and path) and the body. */
    private final List<String[]> requests = Collections.synchronizedList(new ArrayList<>());
    /** Per target, scripted replies (status, body) taken one per request; the last one repeats. */
    private final Map<String, Deque<String[]>> replies = new ConcurrentHashMap<>();
    private DataApiConnection connection;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
        URI endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
        RedshiftDataClient client = RedshiftDataClient.builder().httpClient(UrlConnectionHttpClient.create())
                .region(Region.AP_SOUTHEAST_3).credentialsProvider(credentials).endpointOverride(endpoint).build();
        S3Client s3 = S3Client.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.AP_SOUTHEAST_3)
                .credentialsProvider(credentials).endpointOverride(endpoint).forcePathStyle(true).build();
        connection = new DataApiConnection(client, DataApiTarget.of("dw-cluster", null, "dev", "arn:aws:secretsmanager:ap-southeast-3:123456789012:secret:dw", null),
                new S3ParquetStaging(s3, "s3://lake-stage/warehouse", "arn:aws:iam::123456789012:role/copy"), Duration.ofMillis(10), Duration.ofSeconds(30));
    }

    @AfterEach
    void stop() {
        connection.close();
        server.stop(0);
    }

    @Test
    void aBatchIsPolledUntilItFinishes() throws Exception {
        reply("RedshiftData.BatchExecuteStatement", 200, "{\"Id\":\"b-1\"}");
        reply("RedshiftData.DescribeStatement", 200, describe("SUBMITTED"), describe("PICKED"), describe("STARTED"), describe("FINISHED"));

        connection.execute(List.of(Sql.of("CREATE SCHEMA IF NOT EXISTS \"dw\"")));

        assertThat(targets()).containsExactly("RedshiftData.BatchExecuteStatement", "RedshiftData.DescribeStatement",
                "RedshiftData.DescribeStatement", "RedshiftData.DescribeStatement", "RedshiftData.DescribeStatement");
        JsonNode request = JSON.readTree(requests.get(0)[1]);
        assertThat(request.get("ClusterIdentifier").asText()).isEqualTo("dw-cluster");
        assertThat(request.get("Database").asText()).isEqualTo("dev");
        assertThat(request.get("SecretArn").asText()).endsWith(":secret:dw");
        assertThat(request.get("Sqls").get(0).asText()).isEqualTo("CREATE SCHEMA IF NOT EXISTS \"dw\"");
        assertThat(JSON.readTree(requests.get(1)[1]).get("Id").asText()).isEqualTo("b-1");
    }

    @Test
    void aFailedStatementBecomesOneLineNamingItAndRedshiftsReason() throws Exception {
        reply("PUT", 200, "");
        reply("DELETE", 204, "");
        reply("RedshiftData.BatchExecuteStatement", 200, "{\"Id\":\"b-2\"}");
        reply("RedshiftData.DescribeStatement", 200, describe("STARTED"), """
                {"Id":"b-2","Status":"FAILED","Error":"Query #3 failed","HasResultSet":false,"SubStatements":[
                  {"Id":"b-2:1","Status":"FINISHED","QueryString":"CREATE TEMP TABLE \\"_lh_stage\\" (\\"id\\" BIGINT)"},
                  {"Id":"b-2:2","Status":"FINISHED","QueryString":"COPY \\"_lh_stage\\" FROM 's3://lake-stage/warehouse/x/'"},
                  {"Id":"b-2:3","Status":"FAILED","Error":"ERROR: column \\"fee\\" does not exist\\n  Detail: in MERGE","QueryString":"MERGE INTO \\"dw\\".\\"f\\" USING \\"_lh_0_prepared\\" s ON x"},
                  {"Id":"b-2:4","Status":"ABORTED","QueryString":"DELETE FROM \\"dw\\".\\"lakehouse_feed_state\\""}]}""");
        StagedRows rows = new StagedRows("_lh_stage", List.of("id", "name"), List.of(new BigIntType(), new VarCharType(20)),
                List.<Object[]>of(new Object[] {1L, "Ana"}, new Object[] {2L, null}));

        assertThatThrownBy(() -> connection.applyAtomically(rows, List.of(
                        Sql.of("MERGE INTO \"dw\".\"f\" USING \"_lh_0_prepared\" s ON x"),
                        Sql.of("DELETE FROM \"dw\".\"lakehouse_feed_state\" WHERE \"model\" = ? AND \"lake_table\" = ?", "f", "clinic_clinic_x"))))
                .isInstanceOf(WarehouseException.class)
                .hasMessage("Redshift failed statement 3 of 4 (MERGE INTO \"dw\".\"f\" USING \"_lh_0_prepared\" s ON x):"
                        + " ERROR: column \"fee\" does not exist Detail: in MERGE; the batch was rolled back");

        String[] put = requests.get(0);
        assertThat(put[0]).matches("PUT /lake-stage/warehouse/[0-9a-f-]{36}/part-00000\\.parquet");
        List<String> sqls = new ArrayList<>();
        JSON.readTree(requests.get(1)[1]).get("Sqls").forEach(s -> sqls.add(s.asText()));
        String prefix = put[0].substring("PUT /lake-stage/".length(), put[0].lastIndexOf('/') + 1);
        assertThat(sqls).containsExactly(
                "CREATE TEMP TABLE \"_lh_stage\" (\"id\" BIGINT, \"name\" VARCHAR(80))",
                "COPY \"_lh_stage\" FROM 's3://lake-stage/" + prefix + "' IAM_ROLE 'arn:aws:iam::123456789012:role/copy' FORMAT AS PARQUET",
                "MERGE INTO \"dw\".\"f\" USING \"_lh_0_prepared\" s ON x",
                "DELETE FROM \"dw\".\"lakehouse_feed_state\" WHERE \"model\" = 'f' AND \"lake_table\" = 'clinic_clinic_x'",
                "DROP TABLE \"_lh_stage\"");
        assertThat(targets()).last().isEqualTo("DELETE " + put[0].substring(4));
    }

    @Test
    void throttlingAndServerErrorsAreRetriedByTheSdk() {
        reply("RedshiftData.BatchExecuteStatement", 200, "{\"Id\":\"b-3\"}");
        replies.get("RedshiftData.BatchExecuteStatement").addFirst(new String[] {"400",
                "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}"});
        replies.get("RedshiftData.BatchExecuteStatement").addFirst(new String[] {"500",
                "{\"__type\":\"InternalServerException\",\"message\":\"try again\"}"});
        reply("RedshiftData.DescribeStatement", 200, describe("FINISHED"));

        connection.execute(List.of(Sql.of("SELECT 1")));

        assertThat(targets()).containsExactly("RedshiftData.BatchExecuteStatement", "RedshiftData.BatchExecuteStatement",
                "RedshiftData.BatchExecuteStatement", "RedshiftData.DescribeStatement");
    }

    @Test
    void aRejectedRequestIsOneLineNamingTheStatement() {
        reply("RedshiftData.BatchExecuteStatement", 400, "{\"__type\":\"ValidationException\",\"message\":\"Cluster dw-cluster not found\"}");

        assertThatThrownBy(() -> connection.execute(List.of(Sql.of("SELECT 1"))))
                .isInstanceOf(WarehouseException.class)
                .hasMessageStartingWith("The Redshift Data API refused SELECT 1: Cluster dw-cluster not found")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void aQueryBindsItsParametersAndReadsEveryPage() throws Exception {
        reply("RedshiftData.ExecuteStatement", 200, "{\"Id\":\"q-1\"}");
        reply("RedshiftData.DescribeStatement", 200, "{\"Id\":\"q-1\",\"Status\":\"FINISHED\",\"HasResultSet\":true}");
        reply("RedshiftData.GetStatementResult", 200,
                "{\"Records\":[[{\"stringValue\":\"doctor_dim\"},{\"stringValue\":\"20240101100000000\"}]],\"NextToken\":\"t2\",\"TotalNumRows\":2}",
                "{\"Records\":[[{\"stringValue\":\"fact\"},{\"isNull\":true}]],\"TotalNumRows\":2}");

        List<List<String>> rows = connection.query(Sql.of("SELECT \"model\", \"last_instant\" FROM s.t WHERE \"lake_table\" = ?", "clinic_x"));

        assertThat(rows).containsExactly(List.of("doctor_dim", "20240101100000000"), java.util.Arrays.asList("fact", null));
        JsonNode request = JSON.readTree(requests.get(0)[1]);
        assertThat(request.get("Sql").asText()).isEqualTo("SELECT \"model\", \"last_instant\" FROM s.t WHERE \"lake_table\" = :p1");
        assertThat(request.get("Parameters").get(0).get("name").asText()).isEqualTo("p1");
        assertThat(request.get("Parameters").get(0).get("value").asText()).isEqualTo("clinic_x");
        assertThat(JSON.readTree(requests.get(3)[1]).get("NextToken").asText()).isEqualTo("t2");
    }

    private static String describe(String status) {
        return "{\"Id\":\"b\",\"Status\":\"" + status + "\",\"HasResultSet\":false}";
    }

    private void reply(String target, int status, String... bodies) {
        Deque<String[]> queue = replies.computeIfAbsent(target, t -> new ArrayDeque<>());
        for (String body : bodies) {
            queue.add(new String[] {String.valueOf(status), body});
        }
    }

    private List<String> targets() {
        return requests.stream().map(r -> r[0]).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        String key = target != null ? target : exchange.getRequestMethod();
        requests.add(new String[] {target != null ? target : exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath(), body});
        Deque<String[]> queue = replies.get(key);
        String[] reply = queue == null ? new String[] {"400", "{\"__type\":\"ValidationException\",\"message\":\"unexpected " + key + "\"}"}
                : queue.size() > 1 ? queue.poll() : queue.peek();
        byte[] bytes = reply[1].getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
        if (target == null) {
            exchange.getResponseHeaders().set("ETag", "\"0\"");
        }
        int status = Integer.parseInt(reply[0]);
        exchange.sendResponseHeaders(status, status == 204 || bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0 && status != 204) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }
}
