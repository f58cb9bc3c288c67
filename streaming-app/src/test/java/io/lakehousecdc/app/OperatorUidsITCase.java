package io.lakehousecdc.app;

import io.lakehousecdc.app.config.LakehouseConfig;
import io.lakehousecdc.app.job.PipelineJob;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Savepoints map state to operators by uid, so every operator needs one and they must not
 * change by accident. The job graph for a MERGE_ON_READ and a COPY_ON_WRITE table is compared
 * with the list in {@code operator-uids.txt}; a change there is a break for existing savepoints
 * and belongs in the release notes.
 */
class OperatorUidsITCase {

    @TempDir
    static Path dir;

    private static LocalMySql mysql;

    @BeforeAll
    static void createSource() throws Exception {
        mysql = LocalMySql.createDatabase("it_uids");
        mysql.execute(
                "CREATE TABLE visits (id INT PRIMARY KEY, started_at DATETIME NOT NULL)",
                "CREATE TABLE doctors (id INT PRIMARY KEY, name VARCHAR(50) NOT NULL)");
    }

    @AfterAll
    static void dropSource() throws Exception {
        if (mysql != null) {
            mysql.close();
        }
    }

    @Test
    void everyOperatorHasTheUidItHadBefore() throws Exception {
        Path config = dir.resolve("lakehouse.yaml");
        Files.writeString(config, """
                pipeline:
                  name: uids
                sources:
                %s
                lake:
                  base-path: %s
                tables:
                  - source: clinic
                    table: %3$s.visits
                    partition-by: started_at
                  - source: clinic
                    table: %3$s.doctors
                    type: COPY_ON_WRITE
                """.formatted(LocalMySql.sourceYaml("clinic", dir.resolve("cdc-password")), dir.resolve("lake"), mysql.database));

        List<String> uids = PipelineJob.prepare(LakehouseConfig.load(config, List.of())).operatorUids();

        assertThat(uids).as("operators without a uid").allMatch(Objects::nonNull);
        List<String> named = uids.stream().map(uid -> uid.replace(mysql.database, "<database>")).toList();
        List<String> golden = new String(
                Objects.requireNonNull(getClass().getResourceAsStream("/operator-uids.txt")).readAllBytes(), StandardCharsets.UTF_8)
                .lines().filter(line -> !line.isBlank() && !line.startsWith("#")).toList();
        assertThat(named).as("operator uids; savepoints of earlier versions restore only if these stay").isEqualTo(golden);
    }
}
