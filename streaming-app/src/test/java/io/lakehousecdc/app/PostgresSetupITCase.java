package io.lakehousecdc.app;

import io.lakehousecdc.app.config.LakehouseConfig;
import io.lakehousecdc.app.job.PipelineJob;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks of a PostgreSQL source before the job starts: what is not ready stops {@code lakehouse
 * run} with one line naming the cause and the fix; a publication the user may create is created;
 * a table whose updates cannot be captured is warned about.
 */
class PostgresSetupITCase {

    @TempDir
    static Path dir;

    private static LocalPostgres postgres;

    @BeforeAll
    static void createSource() throws Exception {
        postgres = LocalPostgres.createDatabase("it_pg_errors");
        postgres.execute("CREATE TABLE orders (id INT PRIMARY KEY, note TEXT)", "CREATE TABLE notes (body TEXT)",
                "GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + LocalPostgres.CDC_USER);
    }

    @AfterAll
    static void dropSource() throws Exception {
        postgres.close();
    }

    private static List<String> run(String table, String... overrides) throws Exception {
        Path config = dir.resolve("config-" + System.nanoTime() + ".yaml");
        Files.writeString(config, """
                pipeline:
                  web-ui-port: 0
                sources:
                %s
                lake:
                  base-path: %s
                tables:
                  - source: pharmacy
                    table: public.%s
                """.formatted(postgres.sourceYaml("pharmacy", dir.resolve("password")), dir.resolve("lake"), table));
        List<String> args = new ArrayList<>(List.of("run", "--config", config.toString()));
        for (String override : overrides) {
            args.add("--set");
            args.add(override);
        }
        PrintStream original = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            assertThat(Lakehouse.execute(args.toArray(new String[0]))).isEqualTo(1);
            return err.toString(StandardCharsets.UTF_8).lines().toList();
        } finally {
            System.setErr(original);
        }
    }

    @Test
    void aPublicationTheUserMayNotCreateNamesTheSqlToRun() throws Exception {
        // CREATE PUBLICATION, or ALTER PUBLICATION ... ADD TABLE once another test has created it.
        assertThat(run("orders")).singleElement().asString()
                .contains("does not cover public.orders")
                .containsPattern("run as the tables' owner: (CREATE PUBLICATION " + postgres.slot + "_pub FOR TABLE"
                        + "|ALTER PUBLICATION " + postgres.slot + "_pub ADD TABLE) \"public\"\\.\"orders\"$");
    }

    @Test
    void theTablesOwnerGetsThePublicationCreatedAndAWarningForReplicaIdentityNothing() throws Exception {
        postgres.execute("GRANT CREATE ON SCHEMA public TO " + LocalPostgres.CDC_USER,
                "GRANT CREATE ON DATABASE " + postgres.database + " TO " + LocalPostgres.CDC_USER);
        try (Connection cdc = DriverManager.getConnection("jdbc:postgresql://" + LocalPostgres.HOST + ":" + LocalPostgres.PORT
                + "/" + postgres.database, LocalPostgres.CDC_USER, LocalPostgres.CDC_PASSWORD);
                Statement st = cdc.createStatement()) {
            st.execute("CREATE TABLE owned (id INT PRIMARY KEY, note TEXT)");
            st.execute("ALTER TABLE owned REPLICA IDENTITY NOTHING");
        }
        Path config = dir.resolve("owned.yaml");
        Files.writeString(config, """
                sources:
                %s
                lake:
                  base-path: %s
                tables:
                  - source: pharmacy
                    table: public.owned
                """.formatted(postgres.sourceYaml("pharmacy", dir.resolve("password")), dir.resolve("lake")));
        PipelineJob job = PipelineJob.prepare(LakehouseConfig.load(config, List.of()));

        assertThat(job.warnings()).singleElement().asString()
                .contains("public.owned has REPLICA IDENTITY NOTHING").contains("REPLICA IDENTITY DEFAULT");
        try (Statement st = postgres.connection().createStatement();
                ResultSet rs = st.executeQuery("SELECT tablename FROM pg_publication_tables WHERE pubname = '"
                        + postgres.slot + "_pub'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("owned");
        }
    }

    @Test
    void aTableWithoutPrimaryKeyIsRefused() throws Exception {
        assertThat(run("notes")).singleElement().asString().contains("public.notes").contains("has no primary key: add one");
    }

    @Test
    void aMissingDatabaseIsNamed() throws Exception {
        assertThat(run("orders", "sources.pharmacy.database=no_such_db")).singleElement().asString()
                .contains("no_such_db does not exist: create the database or fix 'database' of source pharmacy");
    }
}
