package io.lakehousecdc.app;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Misconfigured sources stop {@code lakehouse run} with one line naming the cause and the fix. */
class SetupErrorsITCase {

    @TempDir
    static Path dir;

    private static LocalMySql mysql;

    @BeforeAll
    static void createSource() throws Exception {
        mysql = LocalMySql.createDatabase("it_errors");
        mysql.execute("CREATE TABLE visits (id INT PRIMARY KEY, note VARCHAR(20))");
    }

    @AfterAll
    static void dropSource() throws Exception {
        mysql.close();
    }

    private record Outcome(int exitCode, List<String> errorLines) {}

    private static Outcome run(String table, String... overrides) throws Exception {
        Path config = dir.resolve("config-" + System.nanoTime() + ".yaml");
        Files.writeString(config, """
                pipeline:
                  web-ui-port: 0
                sources:
                %s
                lake:
                  base-path: %s
                tables:
                  - source: clinic
                    table: %s.%s
                """.formatted(LocalMySql.sourceYaml("clinic", dir.resolve("password")), dir.resolve("lake"), mysql.database, table));
        List<String> args = new ArrayList<>(List.of("run", "--config", config.toString()));
        for (String override : overrides) {
            args.add("--set");
            args.add(override);
        }
        PrintStream original = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Lakehouse.execute(args.toArray(new String[0]));
            return new Outcome(code, err.toString(StandardCharsets.UTF_8).lines().toList());
        } finally {
            System.setErr(original);
        }
    }

    @Test
    void wrongPasswordNamesTheUserAndWhatToFix() throws Exception {
        Outcome outcome = run("visits", "sources.clinic.password=not-the-password");
        assertThat(outcome.exitCode()).isEqualTo(1);
        assertThat(outcome.errorLines()).singleElement().asString()
                .contains("access denied").contains("lakehouse_cdc").contains("fix username/password of source clinic");
    }

    @Test
    void unreachableHostNamesTheAddressAndWhatToFix() throws Exception {
        Outcome outcome = run("visits", "sources.clinic.port=1", "sources.clinic.connect-timeout=2s");
        assertThat(outcome.exitCode()).isEqualTo(1);
        assertThat(outcome.errorLines()).singleElement().asString()
                .contains("Cannot reach MySQL source clinic at 127.0.0.1:1").contains("start the server or fix hostname/port");
    }

    @Test
    void unknownTableNamesTheTableAndWhatToFix() throws Exception {
        Outcome outcome = run("no_such_table");
        assertThat(outcome.exitCode()).isEqualTo(1);
        assertThat(outcome.errorLines()).singleElement().asString()
                .contains(mysql.database + ".no_such_table does not exist").contains("create it, grant SELECT, or fix the table name");
    }

    @Test
    void binlogNotInRowFormatNamesTheSettingsToChange() throws Exception {
        // Changes the server's global setting for new sessions only while this test runs.
        mysql.execute("SET GLOBAL binlog_format = 'STATEMENT'");
        Outcome outcome;
        try {
            outcome = run("visits");
        } finally {
            mysql.execute("SET GLOBAL binlog_format = 'ROW'");
        }
        assertThat(outcome.exitCode()).isEqualTo(1);
        assertThat(outcome.errorLines()).singleElement().asString()
                .contains("format STATEMENT").contains("set log_bin=ON, binlog_format=ROW, binlog_row_image=FULL");
    }

    @Test
    void usageErrorsExitWithTwo() throws Exception {
        assertThat(Lakehouse.execute("run")).isEqualTo(2);
        assertThat(Lakehouse.execute("query", "--config", "x.yaml", "--format", "xml", "SELECT 1")).isEqualTo(2);
    }
}
