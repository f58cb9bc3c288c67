package io.lakehousecdc.app;

import io.lakehousecdc.app.config.LakehouseConfig;
import io.lakehousecdc.app.control.ControlPlane;
import io.lakehousecdc.app.control.NewTableWatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code lakehouse tables} against a control plane in the local PostgreSQL and sources in the local MariaDB. */
class TablesCommandITCase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ME = System.getProperty("user.name");

    @TempDir
    Path dir;

    private LocalPostgres control;
    private LocalMySql clinic;
    private Path config;

    @BeforeEach
    void databases() throws SQLException, IOException {
        control = LocalPostgres.createDatabase("cp_tables");
        clinic = LocalMySql.createDatabase("cp_clinic");
        clinic.execute(
                "CREATE TABLE consultations (id BIGINT PRIMARY KEY, patient VARCHAR(50), started_at DATETIME(3))",
                "CREATE TABLE patients (id INT PRIMARY KEY, name VARCHAR(50))",
                "CREATE TABLE visits_log (visited_at DATETIME, note TEXT)");
        config = writeConfig("");
    }

    @AfterEach
    void dropDatabases() throws SQLException {
        if (clinic != null) {
            clinic.close();
        }
        if (control != null) {
            control.close();
        }
    }

    /** A config with sources clinic and pharmacy; {@code tail} follows them: more sources, then a tables section. */
    private Path writeConfig(String tail) throws IOException {
        Path file = dir.resolve("lakehouse.yaml");
        Files.writeString(file, """
                pipeline:
                  name: control-plane-test
                control-plane:
                  jdbc-url: %s
                  username: %s
                  password: %s
                lake:
                  base-path: %s
                sources:
                %s
                  - id: pharmacy
                    type: postgres
                    hostname: 127.0.0.1
                    port: 5432
                    database: %s
                    username: %s
                    password: %s
                    slot-name: cp_never_created
                %s
                """.formatted(control.jdbcUrl(), LocalPostgres.adminUser(), LocalPostgres.adminPassword(), dir.resolve("lake"),
                LocalMySql.sourceYaml("clinic", dir.resolve("clinic-password")).stripTrailing(),
                control.database, LocalPostgres.adminUser(), LocalPostgres.adminPassword(), tail));
        return file;
    }

    private CliRun tables(String... args) {
        List<String> all = new ArrayList<>(List.of("tables"));
        all.addAll(List.of(args));
        all.add("--config");
        all.add(config.toString());
        return CliRun.of(all.toArray(String[]::new));
    }

    @Test
    void addSetDisableAndEnableAreListedAndAuditedWithBeforeAndAfter() throws Exception {
        String consultations = clinic.database + ".consultations";
        assertThat(tables("add", "clinic", consultations, "partition-by=started_at").succeeded())
                .contains("added clinic " + consultations);

        String listed = tables("list").succeeded();
        assertThat(listed.lines().findFirst().orElseThrow()).matches("SOURCE +TABLE +TYPE +ENABLED +PARTITION +UPDATED");
        assertThat(listed).containsPattern("clinic +" + consultations + " +MERGE_ON_READ +yes +started_at +\\d{4}-\\d\\d-\\d\\d ");

        assertThat(tables("set", "clinic", consultations, "type=COPY_ON_WRITE", "hudi.compaction.async.enabled=false").succeeded())
                .containsPattern("type +=\\s+COPY_ON_WRITE");
        tables("disable", "clinic", consultations).succeeded();
        assertThat(tables("list").succeeded()).containsPattern("COPY_ON_WRITE +no +started_at");
        tables("enable", "clinic", consultations).succeeded();
        assertThat(tables("show", "clinic", consultations).succeeded())
                .containsPattern("enabled +=\\s+true")
                .containsPattern("hudi.compaction.async.enabled += false");

        List<Audit> audit = audit();
        assertThat(audit).extracting(Audit::action).containsExactly("add", "set", "disable", "enable");
        assertThat(audit).allSatisfy(a -> {
            assertThat(a.actor()).isEqualTo(ME);
            assertThat(a.entity()).isEqualTo("table clinic/" + consultations);
        });
        assertThat(audit.get(0).before()).isNull();
        assertThat(audit.get(0).after().get("partition-by").asText()).isEqualTo("started_at");
        assertThat(audit.get(1).before().get("type").asText()).isEqualTo("MERGE_ON_READ");
        assertThat(audit.get(1).after().get("type").asText()).isEqualTo("COPY_ON_WRITE");
        assertThat(audit.get(1).before().has("hudi.compaction.async.enabled")).isFalse();
        assertThat(audit.get(1).after().get("hudi.compaction.async.enabled").asText()).isEqualTo("false");
        assertThat(audit.get(2).before().get("enabled").asText()).isEqualTo("true");
        assertThat(audit.get(2).after().get("enabled").asText()).isEqualTo("false");
        assertThat(audit.get(3).after().get("enabled").asText()).isEqualTo("true");

        List<Configuration> enabled = ControlPlane.open(LakehouseConfig.load(config, List.of())).enabledTables();
        assertThat(enabled).singleElement().satisfies(table -> assertThat(table.toMap()).containsAllEntriesOf(Map.of(
                "source", "clinic", "table", consultations, "type", "COPY_ON_WRITE", "partition-by", "started_at",
                "hudi.compaction.async.enabled", "false")));
    }

    @Test
    void invalidChangesFailWithOneLineAndChangeNothing() throws Exception {
        String consultations = clinic.database + ".consultations";
        tables("add", "clinic", consultations).succeeded();

        CliRun unknownKey = tables("set", "clinic", consultations, "partition=started_at");
        assertThat(unknownKey.code()).isEqualTo(1);
        assertThat(unknownKey.err()).startsWith("error: Unknown table setting 'partition': use one of type, partition-by");

        CliRun badType = tables("set", "clinic", consultations, "type=MERGE");
        assertThat(badType.code()).isEqualTo(1);
        assertThat(badType.err()).contains("is not a table type: use MERGE_ON_READ or COPY_ON_WRITE");

        CliRun missingColumn = tables("set", "clinic", consultations, "partition-by=finished_at");
        assertThat(missingColumn.code()).isEqualTo(1);
        assertThat(missingColumn.err()).contains("has no column 'finished_at': name one of id, patient, started_at");

        assertThat(tables("set", "clinic", consultations, "started_at").code()).as("not KEY=VALUE is a usage error").isEqualTo(2);

        CliRun unknownTable = tables("enable", "clinic", clinic.database + ".nope");
        assertThat(unknownTable.code()).isEqualTo(1);
        assertThat(unknownTable.err()).contains("is not in the control plane: add it with 'lakehouse tables add'");

        assertThat(audit()).extracting(Audit::action).containsExactly("add");
    }

    @Test
    void onboardingChecksTheSourceFirst() throws Exception {
        CliRun missing = tables("add", "clinic", clinic.database + ".prescriptions");
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err().strip()).as("one line naming the cause and the fix")
                .startsWith("error: Table " + clinic.database + ".prescriptions does not exist in ")
                .endsWith("create it, grant SELECT, or fix the table name")
                .doesNotContain("\n");

        CliRun noKey = tables("add", "clinic", clinic.database + ".visits_log");
        assertThat(noKey.code()).isEqualTo(1);
        assertThat(noKey.err()).contains("has no primary key: add one");

        CliRun unknownSource = tables("add", "billing", "billing.invoices");
        assertThat(unknownSource.code()).isEqualTo(1);
        assertThat(unknownSource.err()).contains("Source 'billing' is not in the config's sources: add it there or use one of clinic, pharmacy");

        control.execute("CREATE TABLE orders (id INT PRIMARY KEY)");
        CliRun noReplication = tables("add", "pharmacy", "public.orders");
        assertThat(noReplication.code()).isEqualTo(1);
        assertThat(noReplication.err()).contains("may not stream changes: run ALTER ROLE " + LocalPostgres.adminUser() + " REPLICATION");

        assertThat(tables("list").succeeded().lines().count()).as("only the header").isEqualTo(1);
        assertThat(audit()).isEmpty();
    }

    @Test
    void aTableWithoutPrimaryKeyIsAcceptedWithAKeyOverrideOfItsColumns() throws Exception {
        String visits = clinic.database + ".visits_log";
        CliRun wrongColumn = tables("add", "clinic", visits, "key-columns=visited_at,visitor");
        assertThat(wrongColumn.code()).isEqualTo(1);
        assertThat(wrongColumn.err()).contains("Key column 'visitor' is not a column of table " + visits
                + ": name columns of the table in key-columns (visited_at, note)");

        tables("add", "clinic", visits, "key-columns=visited_at").succeeded();

        assertThat(tables("show", "clinic", visits).succeeded()).containsPattern("key-columns += visited_at");
        CliRun clearedKey = tables("set", "clinic", visits, "key-columns=");
        assertThat(clearedKey.code()).as("without the override the table has no key").isEqualTo(1);
        assertThat(clearedKey.err()).contains("has no primary key");
        assertThat(audit()).extracting(Audit::action).containsExactly("add");
    }

    @Test
    void wholeDatabaseOnboardingTakesIncludedTablesExceptExcludedOnes() throws Exception {
        clinic.execute("CREATE TABLE audit_trail (id INT PRIMARY KEY)", "CREATE TABLE patients_tmp (id INT PRIMARY KEY)");

        String added = tables("add", "clinic", "--database", clinic.database, "--include", "patients.*|consultations|visits_log",
                "--exclude", ".*_(tmp|log)", "type=COPY_ON_WRITE").succeeded();

        assertThat(added).contains("2 table(s) added");
        assertThat(tables("list").succeeded())
                .containsPattern("clinic +" + clinic.database + ".consultations +COPY_ON_WRITE")
                .containsPattern("clinic +" + clinic.database + ".patients +COPY_ON_WRITE")
                .doesNotContain("audit_trail", "patients_tmp", "visits_log");
        assertThat(tables("add", "clinic", "--database", clinic.database, "--exclude", ".*_(tmp|log)|audit_trail").succeeded())
                .as("tables already present are skipped").contains("0 table(s) added");
        assertThat(audit()).extracting(Audit::action).containsExactly("onboard", "add", "add", "onboard");
        assertThat(audit().get(0).after().get("include").asText()).isEqualTo("patients.*|consultations|visits_log");

        clinic.execute("CREATE TABLE patients_2027 (id INT PRIMARY KEY)", "CREATE TABLE wards (id INT PRIMARY KEY)",
                "CREATE TABLE wards_tmp (id INT PRIMARY KEY)");
        String qualified = clinic.database + ".patients_2027";
        assertThat(CliRun.of("status", "--config", config.toString()).succeeded())
                .as("tables created since are reported, once each, by the first onboarding that takes them")
                .containsPattern(Pattern.quote("clinic " + qualified) + " +" + Pattern.quote("onboarded by: clinic " + clinic.database
                        + " --include 'patients.*|consultations|visits_log' --exclude '.*_(tmp|log)' type=COPY_ON_WRITE;"
                        + " add: lakehouse tables add clinic " + qualified + " type=COPY_ON_WRITE"))
                .containsPattern(Pattern.quote("clinic " + clinic.database + ".wards") + " +"
                        + Pattern.quote("onboarded by: clinic " + clinic.database + " --include '.*' --exclude '.*_(tmp|log)|audit_trail'"))
                .doesNotContain(clinic.database + ".wards_tmp", clinic.database + ".audit_trail",
                        clinic.database + ".patients_tmp", clinic.database + ".visits_log");
        assertThat(tables("add", "clinic", qualified).succeeded()).contains("added");
        assertThat(CliRun.of("status", "--config", config.toString()).succeeded()).doesNotContain(qualified).contains(clinic.database + ".wards ");

        clinic.execute("CREATE TABLE patients_2028 (id INT PRIMARY KEY)");
        tables("add", "clinic", "--database", clinic.database, "--include", "patients.*|consultations|visits_log",
                "--exclude", ".*_(tmp|log)", "type=MERGE_ON_READ").succeeded();
        assertThat(tables("list").succeeded()).as("onboarding again adds what the rule takes now")
                .containsPattern("clinic +" + clinic.database + ".patients_2028 +MERGE_ON_READ");
        Audit changed = audit().get(audit().size() - 2);
        assertThat(changed.action()).isEqualTo("onboard");
        assertThat(changed.before().get("type").asText()).isEqualTo("COPY_ON_WRITE");
        assertThat(changed.after().get("type").asText()).isEqualTo("MERGE_ON_READ");
    }

    @Test
    void aRunningJobReportsEachNewTableOnce() throws Exception {
        tables("add", "clinic", "--database", clinic.database, "--include", "patients.*").succeeded();
        clinic.execute("CREATE TABLE patients_2028 (id INT PRIMARY KEY)", "CREATE TABLE wards (id INT PRIMARY KEY)");
        List<String> reports = new CopyOnWriteArrayList<>();

        try (NewTableWatch watch = NewTableWatch.start(ControlPlane.open(LakehouseConfig.load(config, List.of())),
                Duration.ofMillis(100), reports::add)) {
            Eventually.until(Duration.ofSeconds(30), () -> !reports.isEmpty(), () -> "no report");
            Thread.sleep(1000); // ten more looks
        }

        assertThat(reports).containsExactly("new table clinic " + clinic.database + ".patients_2028 is taken by the onboarding clinic "
                + clinic.database + " --include 'patients.*' but not captured: add it with 'lakehouse tables add clinic "
                + clinic.database + ".patients_2028' and restart the job from a savepoint");
    }

    @Test
    void wholeSchemaOnboardingListsTheTablesOfAPostgresSchema() throws Exception {
        try (LocalPostgres shop = LocalPostgres.createDatabase("cp_shop")) {
            shop.execute("CREATE SCHEMA sales", "CREATE TABLE sales.orders (id INT PRIMARY KEY)",
                    "CREATE TABLE sales.refunds (id INT PRIMARY KEY)", "CREATE TABLE public.orders (id INT PRIMARY KEY)",
                    "GRANT USAGE ON SCHEMA sales TO " + LocalPostgres.CDC_USER,
                    "GRANT SELECT ON ALL TABLES IN SCHEMA sales TO " + LocalPostgres.CDC_USER,
                    "CREATE PUBLICATION " + shop.slot + "_pub FOR TABLE sales.orders, sales.refunds");
            config = writeConfig(shop.sourceYaml("shop", dir.resolve("shop-password")));

            assertThat(tables("add", "shop", "--database", "sales").succeeded()).contains("2 table(s) added from shop sales");

            assertThat(tables("list", "--source", "shop").succeeded())
                    .containsPattern("shop +sales.orders +MERGE_ON_READ +yes")
                    .containsPattern("shop +sales.refunds +MERGE_ON_READ +yes")
                    .doesNotContain("public.orders");
        }
    }

    @Test
    void importAddsNewTablesAndChangesOnlyWhatDiffers() throws Exception {
        String consultations = clinic.database + ".consultations";
        String patients = clinic.database + ".patients";
        config = writeConfig(consultationsAndPatients(""));

        assertThat(tables("import").succeeded()).contains("tables: 2 added, 0 changed, 0 unchanged; sources: 2 added or changed");
        tables("set", "clinic", patients, "retention=30d").succeeded();
        assertThat(tables("import").succeeded()).as("a rerun changes nothing, and keeps what the file does not mention")
                .contains("tables: 0 added, 0 changed, 2 unchanged; sources: 0 added or changed");

        config = writeConfig(consultationsAndPatients("type: COPY_ON_WRITE"));
        assertThat(tables("import").succeeded()).contains("tables: 0 added, 1 changed, 1 unchanged");

        List<Audit> audit = audit();
        assertThat(audit).extracting(a -> a.action() + " " + a.entity()).containsExactly(
                "add source clinic", "add source pharmacy", "add table clinic/" + consultations, "add table clinic/" + patients,
                "set table clinic/" + patients, "import table clinic/" + patients);
        Audit changed = audit.get(5);
        assertThat(changed.before().get("type").asText()).isEqualTo("MERGE_ON_READ");
        assertThat(changed.after().get("type").asText()).isEqualTo("COPY_ON_WRITE");
        assertThat(changed.after().get("retention").asText()).isEqualTo("30d");
        assertThat(audit.get(0).after().has("password")).as("secrets stay in the config file").isFalse();
        assertThat(audit.get(0).after().get("hostname").asText()).isEqualTo(LocalMySql.HOST);
    }

    /** A tables section with the consultations, partitioned, and the patients with {@code patientsSetting}. */
    private String consultationsAndPatients(String patientsSetting) {
        return """
                tables:
                  - source: clinic
                    table: %s.consultations
                    partition-by: started_at
                  - source: clinic
                    table: %s.patients
                    %s
                """.formatted(clinic.database, clinic.database, patientsSetting);
    }

    private record Audit(String actor, String action, String entity, JsonNode before, JsonNode after) {}

    @Test
    void warehouseModelsAreRecordedAndTheirChangesAudited() throws Exception {
        ControlPlane plane = ControlPlane.open(LakehouseConfig.load(config, List.of()));
        ControlPlane.ModelDefinition dim = new ControlPlane.ModelDefinition("dim_doctor", "scd1", "kind: dimension\nscd: 1\n");
        ControlPlane.ModelDefinition fact = new ControlPlane.ModelDefinition("fact_visit", "fact", "kind: fact\n");

        assertThat(plane.recordModels(List.of(dim, fact), "feed")).isEqualTo(2);
        assertThat(plane.recordModels(List.of(dim, fact), "feed")).as("unchanged models are left alone").isZero();
        ControlPlane.ModelDefinition scd2 = new ControlPlane.ModelDefinition("dim_doctor", "scd2", "kind: dimension\nscd: 2\n");
        assertThat(plane.recordModels(List.of(scd2, fact), "feed")).isEqualTo(1);

        try (Statement st = control.connection().createStatement();
                ResultSet rs = st.executeQuery("SELECT name, kind FROM warehouse_models ORDER BY name")) {
            List<String> models = new ArrayList<>();
            while (rs.next()) {
                models.add(rs.getString(1) + "|" + rs.getString(2));
            }
            assertThat(models).containsExactly("dim_doctor|scd2", "fact_visit|fact");
        }
        List<Audit> audit = audit();
        assertThat(audit).extracting(a -> a.action() + " " + a.entity())
                .containsExactly("add model dim_doctor", "add model fact_visit", "set model dim_doctor");
        assertThat(audit.get(2).before().get("kind").asText()).isEqualTo("scd1");
        assertThat(audit.get(2).after().get("definition").asText()).contains("scd: 2");
    }

    private List<Audit> audit() throws SQLException, IOException {
        List<Audit> rows = new ArrayList<>();
        try (Statement st = control.connection().createStatement();
                ResultSet rs = st.executeQuery("SELECT actor, action, entity, before_json, after_json FROM audit_log ORDER BY id")) {
            while (rs.next()) {
                rows.add(new Audit(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getString(4) == null ? null : JSON.readTree(rs.getString(4)), JSON.readTree(rs.getString(5))));
            }
        }
        return rows;
    }
}
