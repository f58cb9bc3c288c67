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
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One scripted workload applied to a MySQL table, to a PostgreSQL table, and rendered as the
 * files DMS would write for it: the three lake tables end with identical business columns and
 * WIB timestamps, equal to the workload's final state.
 */
class SourcesAgreeITCase {

    private static final DateTimeFormatter SQL_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    /** A row of the workload's table; times are UTC wall-clock values, {@code checkedIn} an instant in UTC. */
    private record Visit(long id, String patient, LocalDateTime startedAt, LocalDateTime checkedIn, BigDecimal fee) {}

    /** One change of the workload; {@code visit} is the after image, or the row to delete. */
    private record Change(char op, Visit visit) {}

    private static final List<Visit> INITIAL = List.of(
            new Visit(1, "Ayu", t("2024-01-01 17:30:00.250"), t("2024-01-01 16:59:59.123456"), new BigDecimal("10.00")),
            new Visit(2, "Budi", t("2024-01-01 10:00:00"), null, new BigDecimal("20.50")),
            new Visit(3, "Citra", t("2024-01-01 03:00:00"), t("2024-01-01 03:05:00"), null),
            new Visit(4, "Dewi", t("2024-01-02 01:00:00"), null, new BigDecimal("40.00")));

    private static final List<Change> CHANGES = List.of(
            new Change('I', new Visit(5, "Eko", t("2024-01-02 23:59:59.999"), t("2024-01-02 23:59:59.999999"), new BigDecimal("50.00"))),
            new Change('U', new Visit(2, "Budi Santoso", t("2024-01-01 10:00:00"), null, new BigDecimal("21.00"))),
            new Change('U', new Visit(3, "Citra", t("2024-01-01 18:00:00"), t("2024-01-01 03:05:00"), null)),
            new Change('D', new Visit(4, "Dewi", t("2024-01-02 01:00:00"), null, new BigDecimal("40.00"))),
            new Change('D', new Visit(5, "Eko", t("2024-01-02 23:59:59.999"), t("2024-01-02 23:59:59.999999"), new BigDecimal("50.00"))),
            new Change('I', new Visit(5, "Eko Prasetyo", t("2024-01-03 00:00:00"), null, new BigDecimal("55.00"))),
            new Change('U', new Visit(1, "Ayu", t("2024-01-01 17:30:00.250"), t("2024-01-03 12:00:00.5"), new BigDecimal("10.00"))));

    @TempDir
    static Path dir;

    private static LocalMySql mysql;
    private static LocalPostgres postgres;
    private static LakehouseConfig config;

    private static LocalDateTime t(String text) {
        return LocalDateTime.parse(text.replace(' ', 'T'));
    }

    @BeforeAll
    static void createSources() throws Exception {
        mysql = LocalMySql.createDatabase("it_agree");
        mysql.execute("CREATE TABLE visits (id BIGINT PRIMARY KEY, patient VARCHAR(50) NOT NULL, started_at DATETIME(3) NOT NULL,"
                + " checked_in TIMESTAMP(6) NULL, fee DECIMAL(10,2) NULL)");
        postgres = LocalPostgres.createDatabase("it_agree");
        postgres.execute("CREATE TABLE visits (id BIGINT PRIMARY KEY, patient VARCHAR(50) NOT NULL, started_at TIMESTAMP(3) NOT NULL,"
                + " checked_in TIMESTAMPTZ(6), fee NUMERIC(10,2))");
        postgres.publish("visits");
        for (Visit v : INITIAL) {
            mysql.execute(insert(v, false));
            postgres.execute(insert(v, true));
        }
        Path zone = dir.resolve("dms/clinic/visits");
        Files.createDirectories(zone);
        Files.writeString(zone.resolve("_schema.yaml"), """
                key: [id]
                columns:
                  - {name: id, type: BIGINT}
                  - {name: patient, type: VARCHAR(50)}
                  - {name: started_at, type: TIMESTAMP(3)}
                  - {name: checked_in, type: TIMESTAMP_LTZ(6)}
                  - name: fee
                    type: DECIMAL(10,2)
                """);
        Files.writeString(zone.resolve("LOAD00000001.csv"), String.join("", INITIAL.stream().map(v -> csv(null, v)).toList()));

        Path configFile = dir.resolve("lakehouse.yaml");
        Files.writeString(configFile, """
                pipeline:
                  name: agree-it
                  checkpoint-interval: 1s
                  web-ui-port: 0
                sources:
                %s%s  - id: legacy
                    type: dms
                    path: %s
                    poll-interval: 300ms
                lake:
                  base-path: %s
                tables:
                  - source: clinic
                    table: %s.visits
                  - source: pharmacy
                    table: public.visits
                  - source: legacy
                    table: clinic.visits
                """.formatted(LocalMySql.sourceYaml("clinic", dir.resolve("mysql-password")),
                postgres.sourceYaml("pharmacy", dir.resolve("pg-password")), dir.resolve("dms"), dir.resolve("lake"),
                mysql.database));
        config = LakehouseConfig.load(configFile, List.of());
    }

    @AfterAll
    static void dropSources() throws Exception {
        if (mysql != null) {
            mysql.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void mysqlPostgresAndDmsProduceTheSameLakeTable() throws Exception {
        try (EmbeddedPipeline pipeline = EmbeddedPipeline.start(PipelineJob.prepare(config), null, false)) {
            awaitAgreement(expected(INITIAL));

            StringBuilder changeFile = new StringBuilder();
            for (Change change : CHANGES) {
                mysql.execute(sql(change, false));
                postgres.execute(sql(change, true));
                changeFile.append(csv(change.op(), change.visit()));
            }
            Path dated = dir.resolve("dms/clinic/visits/2024/01/03");
            Files.createDirectories(dated);
            Files.writeString(dated.resolve("20240103-120000000.csv"), changeFile);

            Map<Long, Visit> state = new TreeMap<>();
            INITIAL.forEach(v -> state.put(v.id(), v));
            for (Change change : CHANGES) {
                if (change.op() == 'D') {
                    state.remove(change.visit().id());
                } else {
                    state.put(change.visit().id(), change.visit());
                }
            }
            awaitAgreement(expected(new ArrayList<>(state.values())));
            pipeline.cancel();
        }
    }

    /** The workload's rows as the lake must show them: times in WIB (UTC+7). */
    private static List<String> expected(List<Visit> visits) {
        return visits.stream().map(v -> v.id() + "|" + v.patient() + "|" + wib(v.startedAt()) + "|" + wib(v.checkedIn())
                + "|" + (v.fee() == null ? "NULL" : v.fee().toPlainString())).toList();
    }

    private static String wib(LocalDateTime utc) {
        return utc == null ? "NULL" : DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(utc.plusHours(7));
    }

    private static String literal(LocalDateTime time, boolean zoned) {
        return time == null ? "NULL" : "'" + SQL_TIME.format(time) + (zoned ? "+00" : "") + "'";
    }

    private static String insert(Visit v, boolean postgres) {
        return "INSERT INTO visits VALUES (" + v.id() + ", '" + v.patient() + "', " + literal(v.startedAt(), false) + ", "
                + literal(v.checkedIn(), postgres) + ", " + (v.fee() == null ? "NULL" : v.fee().toPlainString()) + ")";
    }

    private static String sql(Change change, boolean postgres) {
        Visit v = change.visit();
        return switch (change.op()) {
            case 'I' -> insert(v, postgres);
            case 'U' -> "UPDATE visits SET patient = '" + v.patient() + "', started_at = " + literal(v.startedAt(), false)
                    + ", checked_in = " + literal(v.checkedIn(), postgres) + ", fee = "
                    + (v.fee() == null ? "NULL" : v.fee().toPlainString()) + " WHERE id = " + v.id();
            default -> "DELETE FROM visits WHERE id = " + v.id();
        };
    }

    /** A row as DMS writes it to CSV: optional Op, then the columns; NULL as an empty field. */
    private static String csv(Character op, Visit v) {
        return (op == null ? "" : op + ",") + v.id() + "," + v.patient() + "," + SQL_TIME.format(v.startedAt()) + ","
                + (v.checkedIn() == null ? "" : SQL_TIME.format(v.checkedIn())) + ","
                + (v.fee() == null ? "" : v.fee().toPlainString()) + "\n";
    }

    private static void awaitAgreement(List<String> expected) throws Exception {
        Map<String, String> tables = new LinkedHashMap<>();
        tables.put("mysql", "clinic_" + mysql.database + "_visits");
        tables.put("postgres", "pharmacy_" + postgres.database + "_visits");
        tables.put("dms", "legacy_clinic_visits");
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        Map<String, List<String>> lake = Map.of();
        while (System.nanoTime() < deadline) {
            LakeQuery query = LakeQuery.over(LakeLayout.processedTables(config));
            lake = new LinkedHashMap<>();
            for (Map.Entry<String, String> table : tables.entrySet()) {
                lake.put(table.getKey(), query.tableNames().contains(table.getValue()) ? rows(query, table.getValue()) : List.of());
            }
            if (lake.values().stream().allMatch(expected::equals)) {
                assertThat(lake.get("mysql")).isEqualTo(lake.get("postgres")).isEqualTo(lake.get("dms"));
                return;
            }
            Thread.sleep(1000);
        }
        throw new TimeoutException("The lake tables do not agree.\nexpected: " + expected + "\nlake:     " + lake);
    }

    private static List<String> rows(LakeQuery query, String table) throws Exception {
        List<String> rows = new ArrayList<>();
        for (Row row : query.run("SELECT id, patient, started_at, checked_in, fee FROM " + table + " ORDER BY id").rows()) {
            rows.add(row.getField(0) + "|" + row.getField(1) + "|"
                    + DateTimeFormatter.ISO_LOCAL_DATE_TIME.format((LocalDateTime) row.getField(2)) + "|"
                    + (row.getField(3) == null ? "NULL" : DateTimeFormatter.ISO_LOCAL_DATE_TIME.format((LocalDateTime) row.getField(3)))
                    + "|" + (row.getField(4) == null ? "NULL" : ((BigDecimal) row.getField(4)).toPlainString()));
        }
        return rows;
    }
}
