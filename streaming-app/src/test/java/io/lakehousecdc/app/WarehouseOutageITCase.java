package io.lakehousecdc.app;

import io.lakehousecdc.app.config.LakeLayout;
import io.lakehousecdc.app.config.LakehouseConfig;
import io.lakehousecdc.app.feed.WarehouseFeedRunner;
import io.lakehousecdc.app.job.EmbeddedPipeline;
import io.lakehousecdc.app.job.PipelineJob;
import io.lakehousecdc.core.SetupException;
import io.lakehousecdc.lake.LakeCatalog;
import io.lakehousecdc.lake.LakeStorage;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * While the warehouse is unreachable the lake keeps committing and the feed keeps retrying;
 * once the warehouse is back, the feed catches up with everything the lake committed meanwhile.
 * A feed that stayed away longer than the lake keeps its commits stops with the way back.
 */
class WarehouseOutageITCase {

    private static final String DIM_DOCTOR = """
            kind: dimension
            scd: 1
            lake-table: clinic_%s_doctors
            surrogate-key: doctor_sk
            key: [doctor_id]
            columns:
              - {lake: id, as: doctor_id}
              - name
            """;

    @TempDir
    static Path dir;

    private static LocalMySql mysql;
    private static TcpRelay relay;
    private static LakehouseConfig config;

    @BeforeAll
    static void createSourceAndModels() throws Exception {
        mysql = LocalMySql.createDatabase("it_outage");
        mysql.execute("CREATE TABLE doctors (id INT PRIMARY KEY, name VARCHAR(60) NOT NULL)",
                "INSERT INTO doctors VALUES (1, 'dr. Hadi'), (2, 'dr. Eka'), (3, 'dr. Sari')");
        Path models = Files.createDirectories(dir.resolve("models"));
        Files.writeString(models.resolve("dim_doctor.yaml"), DIM_DOCTOR.formatted(mysql.database));
        relay = TcpRelay.to(LocalPostgres.HOST, LocalPostgres.PORT);
        String warehouse = LocalPostgres.warehouseYaml(mysql.database, models)
                .replace(":" + LocalPostgres.PORT + "/", ":" + relay.port() + "/") + "  max-retry-delay: 2s\n";
        Path file = dir.resolve("lakehouse.yaml");
        Files.writeString(file, """
                pipeline:
                  name: outage-it
                  checkpoint-interval: 1s
                  web-ui-port: 0
                sources:
                %s
                lake:
                  base-path: %s
                tables:
                  - source: clinic
                    table: %s.doctors
                    retention: 2s
                %s""".formatted(LocalMySql.sourceYaml("clinic", dir.resolve("cdc-password")), dir.resolve("lake"),
                mysql.database, warehouse));
        config = LakehouseConfig.load(file, List.of());
    }

    @AfterAll
    static void dropSourceAndWarehouse() throws Exception {
        if (relay != null) {
            relay.close();
        }
        if (mysql != null) {
            mysql.close();
            try (Connection warehouse = LocalPostgres.connectWarehouse(); Statement st = warehouse.createStatement()) {
                st.execute("DROP SCHEMA IF EXISTS " + mysql.database + " CASCADE");
            }
        }
    }

    @Test
    void theLakeKeepsCommittingDuringAnOutageAndTheFeedCatchesUpAfterIt() throws Exception {
        String processed = LakeLayout.processedTables(config).get("clinic_" + mysql.database + "_doctors");
        LakeStorage storage = LakeStorage.from(config.global());
        try (EmbeddedPipeline job = EmbeddedPipeline.start(PipelineJob.prepare(config), null, false);
                WarehouseFeedRunner feed = WarehouseFeedRunner.start(config)) {
            awaitWarehouseEqualsSource();

            relay.cut();
            int commitsBefore = LakeCatalog.writeCommits(processed, storage).size();
            for (int id = 4; id <= 9; id++) {
                mysql.execute("INSERT INTO doctors VALUES (" + id + ", 'dr. " + id + "')", "UPDATE doctors SET name = 'dr. Hadi S.' WHERE id = 1");
                job.awaitCheckpoints(1, Duration.ofMinutes(1));
            }
            Eventually.until(Duration.ofMinutes(1), () -> LakeCatalog.writeCommits(processed, storage).size() >= commitsBefore + 3,
                    () -> "the lake made fewer than 3 commits while the warehouse was down");
            assertThat(warehouse()).as("nothing reached the warehouse while it was down").hasSize(3);
            assertThat(feed.failure()).as("an outage does not stop the feed").isEmpty();

            relay.restore();
            awaitWarehouseEqualsSource();
            assertThat(warehouse()).hasSize(9).contains("1|dr. Hadi S.", "9|dr. 9");

            // With a retention of two seconds the raw zone's timeline is archived within a minute.
            String raw = LakeLayout.rawTables(config, config.tables()).values().iterator().next();
            Path archive = Path.of(java.net.URI.create(raw)).resolve(".hoodie/archived");
            Eventually.until(Duration.ofMinutes(2), () -> isNotEmpty(archive), () -> "the raw zone's timeline was never archived");
            feed.close();
            job.cancel();
        }

        try (Connection warehouse = LocalPostgres.connectWarehouse(); Statement st = warehouse.createStatement()) {
            st.executeUpdate("UPDATE " + mysql.database + ".lakehouse_feed_state SET last_instant = '20000101000000000'");
        }
        assertThatThrownBy(() -> WarehouseFeedRunner.runOnce(config))
                .as("a feed behind what the lake keeps stops, naming the way back")
                .isInstanceOf(SetupException.class)
                .hasMessageContaining("have been archived")
                .hasMessageContaining("delete their rows from " + mysql.database + ".lakehouse_feed_state");
    }

    private static boolean isNotEmpty(Path directory) throws java.io.IOException {
        if (!Files.isDirectory(directory)) {
            return false;
        }
        try (var files = Files.list(directory)) {
            return files.findAny().isPresent();
        }
    }

    private static void awaitWarehouseEqualsSource() throws Exception {
        Eventually.until(Duration.ofMinutes(2), () -> warehouse().equals(source()),
                () -> "warehouse " + warehouse() + " never equalled source " + source());
    }

    private static List<String> warehouse() throws SQLException {
        try (Connection connection = LocalPostgres.connectWarehouse()) {
            return Eventually.rows(connection, "SELECT doctor_id, name FROM " + mysql.database + ".dim_doctor ORDER BY 1");
        }
    }

    private static List<String> source() throws SQLException {
        return Eventually.rows(mysql.connection(), "SELECT id, name FROM doctors ORDER BY 1");
    }
}
