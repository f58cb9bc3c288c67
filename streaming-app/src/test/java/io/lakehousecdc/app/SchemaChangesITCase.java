package io.lakehousecdc.app;

import io.lakehousecdc.app.config.LakeLayout;
import io.lakehousecdc.app.config.LakehouseConfig;
import io.lakehousecdc.app.control.ControlPlane;
import io.lakehousecdc.app.job.EvolvingPipeline;
import io.lakehousecdc.app.job.PipelineJob;
import io.lakehousecdc.app.query.LakeQuery;
import io.lakehousecdc.core.SetupException;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.types.Row;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Columns added, widened and dropped at a MySQL source while the job streams, with changes
 * before, between and after: the job stops at the first change with new columns, records the
 * change in the DDL history, rebuilds itself and resumes from its last checkpoint. The lake
 * ends equal to the source, the dropped column kept with what it held, and the change log holds
 * every change once.
 */
class SchemaChangesITCase {

    @TempDir
    static Path dir;

    private static LocalPostgres control;
    private static LocalMySql mysql;
    private static LocalPostgres pharmacy;
    private static Path configFile;
    private static int sourceChanges;

    @BeforeAll
    static void createDatabases() throws Exception {
        control = LocalPostgres.createDatabase("schema_cp");
        mysql = LocalMySql.createDatabase("it_schema");
        mysql.execute("CREATE TABLE visits (id INT PRIMARY KEY, patient VARCHAR(20) NOT NULL, note VARCHAR(30), visits INT)",
                "INSERT INTO visits VALUES (1, 'ani', 'first', 1), (2, 'budi', 'second', 2)");
        sourceChanges = 2;
        pharmacy = LocalPostgres.createDatabase("it_schema_pg");
        pharmacy.execute("CREATE TABLE drugs (id INT PRIMARY KEY, name TEXT NOT NULL, form TEXT)",
                "INSERT INTO drugs VALUES (1, 'amoxicillin', 'tablet')");
        pharmacy.publish("drugs");
        configFile = dir.resolve("lakehouse.yaml");
        Files.writeString(configFile, """
                pipeline:
                  name: schema-changes
                  checkpoint-interval: 1s
                  web-ui-port: 0
                control-plane:
                  jdbc-url: %s
                  username: %s
                  password: %s
                sources:
                %s%s
                lake:
                  base-path: %s
                """.formatted(control.jdbcUrl(), LocalPostgres.adminUser(), LocalPostgres.adminPassword(),
                LocalMySql.sourceYaml("clinic", dir.resolve("cdc-password")),
                pharmacy.sourceYaml("pharmacy", dir.resolve("pg-password")), dir.resolve("lake")));
        CliRun.of("tables", "add", "clinic", mysql.database + ".visits", "--config", configFile.toString()).succeeded();
        CliRun.of("tables", "add", "pharmacy", "public.drugs", "--config", configFile.toString()).succeeded();
    }

    @AfterAll
    static void dropDatabases() throws Exception {
        for (AutoCloseable database : new AutoCloseable[] {mysql, pharmacy, control}) {
            if (database != null) {
                database.close();
            }
        }
    }

    private static void change(String... statements) throws Exception {
        mysql.execute(statements);
        sourceChanges += statements.length;
    }

    @Test
    void addedWidenedAndDroppedColumnsReachTheLakeWithoutLossOrDuplicates() throws Exception {
        LakehouseConfig config = LakehouseConfig.load(configFile, List.of());
        String columns = "id, patient, note, visits, ward";
        try (EvolvingPipeline pipeline = EvolvingPipeline.start(config, PipelineJob.prepare(config), null, false)) {
            await(pipeline, config, "SELECT id FROM %s", 2);
            change("INSERT INTO visits VALUES (3, 'citra', 'third', 3)");
            pipeline.current().awaitCheckpoints(1, Duration.ofMinutes(1));

            mysql.execute("ALTER TABLE visits ADD COLUMN ward VARCHAR(10)");
            change("INSERT INTO visits VALUES (4, 'dodi', 'fourth', 4, 'B')",
                    "UPDATE visits SET ward = 'C', visits = 20 WHERE id = 2");
            await(pipeline, config, "SELECT id FROM %s WHERE ward IS NOT NULL", 2);

            mysql.execute("ALTER TABLE visits MODIFY visits BIGINT", "ALTER TABLE visits MODIFY patient VARCHAR(60) NOT NULL");
            change("INSERT INTO visits VALUES (5, 'eka " + "longer than twenty characters".repeat(2).substring(0, 50) + "', 'fifth', 5000000000, 'A')");
            await(pipeline, config, "SELECT id FROM %s WHERE visits > 4000000000", 1);

            mysql.execute("ALTER TABLE visits DROP COLUMN note");
            change("INSERT INTO visits (id, patient, visits, ward) VALUES (6, 'fajar', 6, 'D')",
                    "UPDATE visits SET visits = 10 WHERE id = 1");
            await(pipeline, config, "SELECT id FROM %s WHERE id = 6 OR visits = 10", 2);

            // PostgreSQL announces new columns in the WAL too; one statement adds one and drops another.
            await(pipeline, config, "SELECT id FROM " + drugs(), 1);
            pharmacy.execute("ALTER TABLE drugs ADD COLUMN strength NUMERIC(6,2), DROP COLUMN form",
                    "INSERT INTO drugs VALUES (2, 'ibuprofen', 400.00)",
                    "UPDATE drugs SET strength = 500.00 WHERE id = 1");
            await(pipeline, config, "SELECT id FROM " + drugs() + " WHERE strength IS NOT NULL", 2);
            pharmacy.execute("ALTER TABLE drugs ALTER COLUMN strength TYPE NUMERIC(10,2)",
                    "INSERT INTO drugs VALUES (3, 'insulin', 12345678.90)");
            await(pipeline, config, "SELECT id FROM " + drugs() + " WHERE strength > 10000000", 1);
            pipeline.current().awaitCheckpoints(2, Duration.ofMinutes(1));

            pipeline.current().cancel();
        }

        Map<Integer, String> source = new TreeMap<>();
        for (String row : Eventually.rows(mysql.connection(), "SELECT id, patient, visits, ward FROM visits ORDER BY id")) {
            source.put(Integer.parseInt(row.split("\\|")[0]), row);
        }
        Map<Integer, String> lake = new TreeMap<>();
        Map<Integer, String> notes = new TreeMap<>();
        for (List<String> row : lake(config, "SELECT id, patient, visits, ward, note FROM %s")) {
            lake.put(Integer.parseInt(row.get(0)), String.join("|", row.subList(0, 4)));
            notes.put(Integer.parseInt(row.get(0)), row.get(4));
        }
        assertThat(lake).isEqualTo(source);
        // The dropped column keeps what it held; changes after the drop leave it empty.
        assertThat(notes).containsExactly(Map.entry(1, "null"), Map.entry(2, "second"), Map.entry(3, "third"),
                Map.entry(4, "fourth"), Map.entry(5, "fifth"), Map.entry(6, "null"));
        assertThat(lake(config, "SELECT id, _cdc_seq FROM %s_raw")).as("every change once in the change log").hasSize(sourceChanges);

        assertThat(lake(config, "SELECT id, name, strength, form FROM " + drugs())).extracting(r -> String.join("|", r))
                .containsExactly("1|amoxicillin|500.00|null", "2|ibuprofen|400.00|null", "3|insulin|12345678.90|null");

        List<String> history = Eventually.rows(control.connection(), "SELECT t.source_table, d.statement, d.position"
                + " FROM ddl_history d JOIN captured_tables t ON t.id = d.table_id ORDER BY d.id");
        assertThat(history).extracting(h -> h.substring(0, h.lastIndexOf('|'))).containsExactly(
                mysql.database + ".visits|ADD COLUMN ward", mysql.database + ".visits|ALTER COLUMN visits TYPE (INT32 to INT64)",
                mysql.database + ".visits|DROP COLUMN note", "public.drugs|ADD COLUMN strength", "public.drugs|DROP COLUMN form",
                "public.drugs|ALTER COLUMN strength TYPE (BYTES Decimal {scale=2, connect.decimal.precision=6}"
                        + " to BYTES Decimal {scale=2, connect.decimal.precision=10})");
        assertThat(history.subList(0, 3)).extracting(h -> Long.parseLong(h.substring(h.lastIndexOf('|') + 1)))
                .isSorted().doesNotHaveDuplicates();

        // A change the lake's files cannot be read as is refused before anything is written with it.
        pharmacy.execute("ALTER TABLE drugs ALTER COLUMN strength TYPE NUMERIC(12,3)");
        assertThatThrownBy(() -> PipelineJob.prepare(config)).isInstanceOf(SetupException.class)
                .hasMessageStartingWith("Column strength of lake table " + drugs() + " holds DECIMAL(38, 2) and the source now"
                        + " gives DECIMAL(38, 3), which Hudi cannot read the table's files as: ");
        assertThat(lake(config, "SELECT id, strength FROM " + drugs())).extracting(r -> String.join("|", r))
                .containsExactly("1|500.00", "2|400.00", "3|12345678.90");
    }

    private static String drugs() {
        return "pharmacy_" + pharmacy.database + "_drugs";
    }

    private static void await(EvolvingPipeline pipeline, LakehouseConfig config, String sql, int rows) throws Exception {
        Eventually.until(Duration.ofMinutes(2), () -> {
            pipeline.rebuildIfColumnsChanged();
            try {
                return lake(config, sql).size() == rows;
            } catch (ValidationException columnNotInTheLakeYet) {
                return false;
            } catch (RuntimeException e) {
                // Hudi 0.14 reads a table with the schema of its newest commit; right after a type
                // widening that commit once still named the old type (a compaction), until the next one.
                if (ExceptionUtils.findThrowable(e, ClassCastException.class).isPresent()) {
                    return false;
                }
                throw e;
            }
        }, () -> sql + " did not return " + rows + " rows; the lake: " + lake(config, "SELECT * FROM %s") + ", job "
                + pipeline.current().status());
    }

    private static List<List<String>> lake(LakehouseConfig config, String sql) throws Exception {
        List<Configuration> tables = ControlPlane.tablesOf(config, false);
        Map<String, String> paths = new TreeMap<>(LakeLayout.processedTables(config, tables));
        paths.putAll(LakeLayout.rawTables(config, tables));
        String name = "clinic_" + mysql.database + "_visits";
        LakeQuery query = LakeQuery.over(paths);
        if (!query.tableNames().containsAll(LakeLayout.processedTables(config, tables).keySet())) {
            return List.of();
        }
        List<List<String>> out = new ArrayList<>();
        for (Row row : query.run(sql.formatted(name) + " ORDER BY id").rows()) {
            List<String> cells = new ArrayList<>();
            for (int i = 0; i < row.getArity(); i++) {
                cells.add(String.valueOf(row.getField(i)));
            }
            out.add(cells);
        }
        return out;
    }
}
