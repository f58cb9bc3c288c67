package io.lakehousecdc.app;

import io.lakehousecdc.app.config.LakehouseConfig;
import io.lakehousecdc.app.control.ControlPlane;
import io.lakehousecdc.app.control.ControlPlaneServer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The control plane's HTTP API over real HTTP, backed by the local PostgreSQL and MariaDB. */
class ControlPlaneApiITCase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = UUID.randomUUID().toString();

    @TempDir
    Path dir;

    private LocalPostgres controlDb;
    private LocalMySql clinic;
    private ControlPlaneServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void serve() throws SQLException, IOException {
        controlDb = LocalPostgres.createDatabase("cp_api");
        clinic = LocalMySql.createDatabase("cp_api_clinic");
        clinic.execute("CREATE TABLE consultations (id BIGINT PRIMARY KEY, started_at DATETIME(3))",
                "CREATE TABLE visits_log (note TEXT)");
        Path config = dir.resolve("lakehouse.yaml");
        Files.writeString(config, """
                control-plane:
                  jdbc-url: %s
                  username: %s
                  password: %s
                sources:
                %s
                """.formatted(controlDb.jdbcUrl(), LocalPostgres.adminUser(), LocalPostgres.adminPassword(),
                LocalMySql.sourceYaml("clinic", dir.resolve("clinic-password"))));
        ControlPlane control = ControlPlane.open(LakehouseConfig.load(config, List.of()));
        server = ControlPlaneServer.start(control, new InetSocketAddress("127.0.0.1", 0), TOKEN, "ci-deployer");
    }

    @AfterEach
    void stop() throws SQLException {
        if (server != null) {
            server.close();
        }
        if (clinic != null) {
            clinic.close();
        }
        if (controlDb != null) {
            controlDb.close();
        }
    }

    private record Reply(int status, JsonNode body) {}

    private Reply call(String method, String path, String body, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        return new Reply(response.statusCode(), JSON.readTree(response.body()));
    }

    private Reply call(String method, String path, String body) throws IOException, InterruptedException {
        return call(method, path, body, TOKEN);
    }

    @Test
    void aMissingOrWrongTokenIsRefusedAndChangesNothing() throws Exception {
        String body = "{\"source\": \"clinic\", \"table\": \"" + clinic.database + ".consultations\"}";
        Reply none = call("POST", "/tables", body, null);
        Reply wrong = call("POST", "/tables", body, TOKEN + "x");

        assertThat(none.status()).isEqualTo(401);
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.body().get("error").asText()).contains("bearer token").doesNotContain(TOKEN);
        assertThat(call("GET", "/tables", null, "nope").status()).isEqualTo(401);
        assertThat(call("GET", "/tables", null).body()).isEmpty();
    }

    @Test
    void invalidInputIsRefusedWithTheReason() throws Exception {
        Reply missing = call("POST", "/tables", "{\"source\": \"clinic\", \"table\": \"" + clinic.database + ".nope\"}");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.body().get("error").asText()).startsWith("Table " + clinic.database + ".nope does not exist in ")
                .endsWith("create it, grant SELECT, or fix the table name");

        Reply noKey = call("POST", "/tables", "{\"source\": \"clinic\", \"table\": \"" + clinic.database + ".visits_log\"}");
        assertThat(noKey.status()).isEqualTo(400);
        assertThat(noKey.body().get("error").asText()).contains("has no primary key: add one");

        assertThat(call("POST", "/tables", "{\"source\": \"clinic\"").body().get("error").asText())
                .startsWith("the body is not valid JSON");
        assertThat(call("POST", "/tables", "{\"source\": \"clinic\"}").body().get("error").asText())
                .isEqualTo("the body needs \"source\" and \"table\"");

        Reply unknown = call("GET", "/tables/clinic/" + clinic.database + ".nope", null);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body().get("error").asText()).contains("is not in the control plane");
        assertThat(call("POST", "/tables/clinic/" + clinic.database + ".nope/enable", null).status()).isEqualTo(404);

        assertThat(call("GET", "/audit", null).body()).as("nothing was accepted").isEmpty();
    }

    @Test
    void onboardingADatabaseAddsTheIncludedTablesWithTheirSettings() throws Exception {
        clinic.execute("CREATE TABLE patients (id INT PRIMARY KEY)", "CREATE TABLE patients_tmp (id INT PRIMARY KEY)");

        Reply onboarded = call("POST", "/sources/clinic/onboard", "{\"database\": \"" + clinic.database + "\","
                + " \"include\": \"patients.*|consultations\", \"exclude\": \".*_tmp\", \"type\": \"COPY_ON_WRITE\"}");

        assertThat(onboarded.status()).isEqualTo(201);
        List<String> added = new ArrayList<>();
        onboarded.body().forEach(t -> {
            added.add(t.get("table").asText());
            assertThat(t.get("type").asText()).isEqualTo("COPY_ON_WRITE");
        });
        assertThat(added).containsExactly(clinic.database + ".consultations", clinic.database + ".patients");
        JsonNode audit = call("GET", "/audit", null).body();
        assertThat(audit).hasSize(3);
        assertThat(audit.get(2).get("action").asText()).as("the onboarding itself, kept for new tables").isEqualTo("onboard");

        Reply badRegex = call("POST", "/sources/clinic/onboard", "{\"database\": \"" + clinic.database + "\", \"include\": \"(\"}");
        assertThat(badRegex.status()).isEqualTo(400);
        assertThat(badRegex.body().get("error").asText()).startsWith("'(' is not a regular expression");
    }

    @Test
    void everyAcceptedChangeIsInTheAuditLog() throws Exception {
        String table = clinic.database + ".consultations";
        String path = "/tables/clinic/" + table;

        Reply added = call("POST", "/tables", "{\"source\": \"clinic\", \"table\": \"" + table + "\","
                + " \"partition-by\": \"started_at\", \"hudi\": {\"write.tasks\": \"2\"}}");
        assertThat(added.status()).isEqualTo(201);
        assertThat(added.body().get("type").asText()).isEqualTo("MERGE_ON_READ");
        assertThat(added.body().get("hudi").get("write.tasks").asText()).isEqualTo("2");

        Reply patched = call("PATCH", path, "{\"type\": \"COPY_ON_WRITE\", \"key-columns\": [\"id\"], \"partition-by\": null}");
        assertThat(patched.status()).isEqualTo(200);
        assertThat(patched.body().get("type").asText()).isEqualTo("COPY_ON_WRITE");
        assertThat(patched.body().get("partition-by").isNull()).isTrue();

        Reply badPatch = call("PATCH", path, "{\"index-type\": \"hash\"}");
        assertThat(badPatch.status()).isEqualTo(400);
        assertThat(badPatch.body().get("error").asText()).isEqualTo(
                "Setting index-type=hash of table " + table + " is not an index type: use state, bucket or bloom");

        assertThat(call("POST", path + "/disable", null).body().get("enabled").asBoolean()).isFalse();
        assertThat(call("GET", path, null).body().get("enabled").asBoolean()).isFalse();
        assertThat(call("POST", path + "/enable", null).body().get("enabled").asBoolean()).isTrue();

        Reply audit = call("GET", "/audit?limit=10", null);
        assertThat(audit.status()).isEqualTo(200);
        List<String> actions = new ArrayList<>();
        audit.body().forEach(entry -> {
            actions.add(entry.get("action").asText());
            assertThat(entry.get("actor").asText()).isEqualTo("ci-deployer");
            assertThat(entry.get("entity").asText()).isEqualTo("table clinic/" + table);
        });
        assertThat(actions).as("newest first").containsExactly("enable", "disable", "set", "add");
        JsonNode set = audit.body().get(2);
        assertThat(set.get("before").get("type").asText()).isEqualTo("MERGE_ON_READ");
        assertThat(set.get("before").get("partition-by").asText()).isEqualTo("started_at");
        assertThat(set.get("after").get("type").asText()).isEqualTo("COPY_ON_WRITE");
        assertThat(set.get("after").has("partition-by")).isFalse();
        assertThat(set.get("after").get("key-columns").asText()).isEqualTo("id");
        assertThat(audit.body().get(3).get("before").isNull()).isTrue();
    }
}
