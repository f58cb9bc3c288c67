package io.lakehousecdc.app;

import io.lakehousecdc.app.config.LakeLayout;
import io.lakehousecdc.app.config.LakehouseConfig;
import io.lakehousecdc.app.job.EmbeddedPipeline;
import io.lakehousecdc.app.job.PipelineJob;
import io.lakehousecdc.app.query.LakeQuery;

import org.apache.flink.types.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two jobs capture one MySQL table at the same time, one into a MERGE_ON_READ lake found through
 * a bucket index, the other into a COPY_ON_WRITE lake found through the job-state index, while
 * inserts, updates (of the key too), deletes and
 * delete-then-reinserts stream in batches: both lake tables end row for row identical, source
 * columns, {@code _cdc_op} and {@code _cdc_seq} included, and equal to the source. The MOR
 * table compacts along the way, so its rows come from base files and logs alike.
 */
class CopyOnWriteAndMergeOnReadHoldIdenticalDataITCase {

    private static final String COLUMNS = "id, patient, fee, seen_at, note";

    @TempDir
    static Path dir;

    private static LocalMySql mysql;
    private static LakehouseConfig mor;
    private static LakehouseConfig cow;

    @BeforeAll
    static void createSource() throws Exception {
        mysql = LocalMySql.createDatabase("it_same");
        mysql.execute("CREATE TABLE visits (id INT PRIMARY KEY, patient VARCHAR(40) NOT NULL, fee DECIMAL(12,2) NULL,"
                + " seen_at DATETIME(3) NULL, note TEXT NULL)");
        mor = config("MERGE_ON_READ", "bucket", 5611);
        cow = config("COPY_ON_WRITE", "state", 5612);
    }

    private static LakehouseConfig config(String type, String index, int serverId) throws Exception {
        Path file = dir.resolve(type + ".yaml");
        Files.writeString(file, """
                pipeline:
                  name: same-%s
                  checkpoint-interval: 1s
                  web-ui-port: 0
                sources:
                %s    server-id: "%d"
                lake:
                  base-path: %s
                  compaction.delta-commits: 2
                tables:
                  - source: clinic
                    table: %s.visits
                    type: %s
                    index-type: %s
                """.formatted(type.toLowerCase(),
                LocalMySql.sourceYaml("clinic", dir.resolve("cdc-password")), serverId, dir.resolve(type + "-lake"),
                mysql.database, type, index));
        return LakehouseConfig.load(file, List.of());
    }

    @AfterAll
    static void dropSource() throws Exception {
        if (mysql != null) {
            mysql.close();
        }
    }

    @Test
    void bothLakesEndIdenticalToEachOtherAndToTheSource() throws Exception {
        try (EmbeddedPipeline morJob = EmbeddedPipeline.start(PipelineJob.prepare(mor), null, false);
                EmbeddedPipeline cowJob = EmbeddedPipeline.start(PipelineJob.prepare(cow), null, false)) {
            // A row both jobs have seen marks the end of both snapshots: from then on both read
            // the same binlog events, so the same operations and positions.
            mysql.execute("INSERT INTO visits VALUES (0, 'marker', NULL, NULL, NULL)");
            awaitLakesEqualSource();
            mysql.execute("DELETE FROM visits WHERE id = 0");

            for (int batch = 0; batch < 4; batch++) {
                int base = batch * 50;
                StringBuilder insert = new StringBuilder("INSERT INTO visits VALUES ");
                for (int id = base + 1; id <= base + 50; id++) {
                    insert.append(id == base + 1 ? "" : ", ").append("(").append(id).append(", 'p").append(id).append("', ")
                            .append(id).append(".05, '2026-11-0").append(1 + id % 9).append(" 0").append(id % 10)
                            .append(":30:00.125', ").append(id % 3 == 0 ? "NULL" : "'note " + id + "'").append(")");
                }
                mysql.execute(insert.toString(),
                        "UPDATE visits SET fee = fee * 2, note = CONCAT(COALESCE(note, ''), ' seen') WHERE id % 7 = 0",
                        "UPDATE visits SET patient = CONCAT(patient, '+') WHERE id BETWEEN " + (base + 1) + " AND " + (base + 10),
                        "DELETE FROM visits WHERE id % 11 = 0",
                        "UPDATE visits SET id = id + 1000 WHERE id = " + (base + 3),
                        "DELETE FROM visits WHERE id = " + (base + 4),
                        "INSERT INTO visits VALUES (" + (base + 4) + ", 'back', NULL, NULL, 'reinserted')");
                // Batches land in separate commits, so updates meet rows already written.
                morJob.awaitCheckpoints(1, Duration.ofMinutes(1));
                cowJob.awaitCheckpoints(1, Duration.ofMinutes(1));
            }
            awaitLakesEqualSource();
            morJob.cancel();
            cowJob.cancel();
        }

        List<String> morRows = lakeRows(mor, COLUMNS + ", _cdc_op, _cdc_seq");
        List<String> cowRows = lakeRows(cow, COLUMNS + ", _cdc_op, _cdc_seq");
        assertThat(morRows).hasSize(sourceRows().size()).isEqualTo(cowRows);
        assertThat(morRows).anyMatch(r -> r.contains("|u|")).anyMatch(r -> r.contains("|c|"));
        assertThat(fileGroups(mor)).as("file groups named by their bucket").isNotEmpty()
                .allMatch(id -> id.matches("000\\d{5}-.*"));
        assertThat(fileGroups(cow)).as("file groups named at random").isNotEmpty()
                .noneMatch(id -> id.matches("000\\d{5}-.*"));
        Path timeline = Path.of(java.net.URI.create(LakeLayout.processedTables(mor).get(lakeName()))).resolve(".hoodie");
        try (var files = Files.list(timeline)) {
            assertThat(files.map(f -> f.getFileName().toString())).as("completed compactions").anyMatch(f -> f.endsWith(".commit"));
        }
    }

    private static void awaitLakesEqualSource() throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        List<String> source = List.of();
        List<String> morRows = List.of();
        List<String> cowRows = List.of();
        while (System.nanoTime() < deadline) {
            source = sourceRows();
            morRows = lakeRows(mor, COLUMNS);
            cowRows = lakeRows(cow, COLUMNS);
            if (morRows.equals(source) && cowRows.equals(source)) {
                return;
            }
            Thread.sleep(1000);
        }
        throw new TimeoutException("The lakes did not catch up.\nsource: " + source + "\nMOR:    " + morRows + "\nCOW:    " + cowRows);
    }

    /** The ids of the file groups of the lake table, read from its base and log file names. */
    private static List<String> fileGroups(LakehouseConfig config) throws Exception {
        Path table = Path.of(java.net.URI.create(LakeLayout.processedTables(config).get(lakeName())));
        try (var files = Files.list(table)) {
            return files.map(f -> f.getFileName().toString())
                    .filter(n -> n.endsWith(".parquet") || n.matches("\\..*\\.log\\.\\d+_[\\d-]+"))
                    .map(n -> n.replaceFirst("^\\.", "").split("_")[0]).distinct().toList();
        }
    }

    private static String lakeName() {
        return "clinic_" + mysql.database + "_visits";
    }

    private static List<String> lakeRows(LakehouseConfig config, String columns) throws Exception {
        String name = lakeName();
        LakeQuery query = LakeQuery.over(LakeLayout.processedTables(config));
        if (!query.tableNames().contains(name)) {
            return List.of();
        }
        List<String> rows = new ArrayList<>();
        for (Row row : query.run("SELECT " + columns + " FROM " + name + " ORDER BY id").rows()) {
            List<String> values = new ArrayList<>();
            for (int i = 0; i < row.getArity(); i++) {
                values.add(text(row.getField(i)));
            }
            rows.add(String.join("|", values));
        }
        return rows;
    }

    /** The source's rows like {@link #lakeRows}, DATETIME values shifted from UTC to WIB. */
    private static List<String> sourceRows() throws Exception {
        List<String> rows = new ArrayList<>();
        try (Statement st = mysql.connection().createStatement();
                ResultSet rs = st.executeQuery("SELECT " + COLUMNS + " FROM visits ORDER BY id")) {
            while (rs.next()) {
                LocalDateTime seen = rs.getObject(4, LocalDateTime.class);
                rows.add(String.join("|", text(rs.getInt(1)), text(rs.getString(2)), text(rs.getBigDecimal(3)),
                        text(seen == null ? null : seen.plusHours(7)), text(rs.getString(5))));
            }
        }
        return rows;
    }

    private static String text(Object value) {
        return value == null ? "NULL" : value instanceof BigDecimal d ? d.toPlainString() : value.toString();
    }
}
