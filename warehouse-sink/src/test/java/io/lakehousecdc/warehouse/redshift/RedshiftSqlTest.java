package io.lakehousecdc.warehouse.redshift;

import io.lakehousecdc.warehouse.model.Model;
import io.lakehousecdc.warehouse.model.ModelLoader;
import io.lakehousecdc.warehouse.sql.ModelStatements;
import io.lakehousecdc.warehouse.sql.Sql;
import io.lakehousecdc.warehouse.sql.StagedRows;

import org.apache.flink.table.types.logical.BigIntType;
import org.apache.flink.table.types.logical.DecimalType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.TimestampType;
import org.apache.flink.table.types.logical.VarCharType;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The Redshift SQL of every model kind, checked against what Redshift's MERGE, COPY and CREATE TABLE accept. */
class RedshiftSqlTest {

    private static final Map<String, RowType> LAKE = Map.of(
            "clinic_clinic_doctors", row("id", new BigIntType(false), "name", new VarCharType(VarCharType.MAX_LENGTH), "specialty", new VarCharType(50)),
            "clinic_clinic_consultations", row("id", new BigIntType(false), "doctor_id", new BigIntType(), "started_at", new TimestampType(3),
                    "fee", new DecimalType(10, 2)));
    private static final String SCD2 = """
            name: doctor_dim
            kind: dimension
            scd: 2
            lake-table: clinic_clinic_doctors
            key: [doctor_id]
            surrogate-key: doctor_sk
            columns: [{lake: id, as: doctor_id}, name, specialty]
            tracked: [specialty]
            redshift: {distkey: doctor_id, sortkey: [doctor_id, valid_from], encode: {name: zstd, specialty: bytedict}}
            """;
    private static final String SCD1 = """
            name: doctor_now
            kind: dimension
            scd: 1
            on-delete: flag
            lake-table: clinic_clinic_doctors
            key: [id]
            columns: [id, name]
            redshift: {diststyle: all}
            """;
    private static final String FACT = """
            name: consultation_fact
            kind: fact
            lake-table: clinic_clinic_consultations
            key: [id]
            time: started_at
            columns: [id, doctor_id, started_at, fee]
            dimensions: [{model: doctor_dim, columns: [doctor_id], as: doctor_sk}, {model: doctor_now, columns: [doctor_id], as: doctor_now_sk}]
            redshift: {distkey: doctor_sk, sortkey: [started_at], encode: {fee: az64}}
            """;
    private static final String REPORT = """
            name: revenue
            kind: report
            sql: SELECT d.specialty, SUM(f.fee) AS revenue FROM {consultation_fact} f JOIN {doctor_dim} d ON d.doctor_sk = f.doctor_sk GROUP BY 1
            redshift: {diststyle: all, sortkey: [specialty]}
            """;
    private static final Pattern MERGE = Pattern.compile(
            "MERGE INTO (\\S+) USING (\"\\w+\") s ON (.+?) WHEN MATCHED THEN UPDATE SET (.+?) WHEN NOT MATCHED THEN INSERT \\((.+?)\\) VALUES \\((.+)\\)");

    private final List<Model> models = List.of(parse(SCD2), parse(SCD1), parse(FACT), parse(REPORT));
    private final ModelStatements statements = new ModelStatements(new RedshiftDialect(), "dw", byName(models), LAKE);

    @Test
    void everyMergeHasOneUpdateAndOneInsertWithoutConditionsFromATemporaryTable() {
        for (Model model : models.subList(0, 3)) {
            List<String> sql = texts(statements.apply(model, "\"_lh_stage\"", "_lh_0_"));
            List<String> merges = sql.stream().filter(s -> s.startsWith("MERGE")).toList();
            assertThat(merges).as(model.name()).hasSize(1);
            String merge = merges.get(0);
            Matcher m = MERGE.matcher(merge);
            assertThat(m.matches()).as(merge).isTrue();
            assertThat(count(merge, "WHEN MATCHED")).isEqualTo(1);
            assertThat(count(merge, "WHEN NOT MATCHED")).isEqualTo(1);
            assertThat(merge).doesNotContain("WHEN MATCHED AND", "WHEN NOT MATCHED AND", "THEN DELETE", "USING (");
            // The match condition holds equalities only, and the source is one of the batch's temporary tables.
            assertThat(m.group(3).split(" AND ")).allMatch(p -> p.matches("\\S+ = s\\.\"\\w+\""));
            assertThat(m.group(2)).startsWith("\"_lh_0_");
            assertThat(sql).anyMatch(s -> s.startsWith("CREATE TEMP TABLE " + m.group(2) + " AS"));
            // Redshift lacks these PostgreSQL forms.
            assertThat(sql).noneMatch(s -> s.contains("ON CONFLICT") || s.contains("IS DISTINCT FROM") || s.contains(" WINDOW ")
                    || s.contains("FILTER (") || s.contains("RETURNING"));
        }
    }

    @Test
    void keyedModelsDeduplicateTheStagingByTheLastChangeAndDeleteInAStepOfTheirOwn() {
        for (Model model : List.of(models.get(1), models.get(2))) {
            List<String> sql = texts(statements.apply(model, "\"_lh_stage\"", "_lh_0_"));
            int dedup = indexOf(sql, "ROW_NUMBER() OVER (PARTITION BY s.\"id\" ORDER BY s.\"_cdc_seq\" DESC)");
            int stale = indexOf(sql, "DELETE FROM \"_lh_0_last\" USING \"dw\".\"" + model.table() + "\"");
            int merge = indexOf(sql, "MERGE INTO");
            assertThat(dedup).isGreaterThanOrEqualTo(0).isLessThan(stale);
            assertThat(stale).isLessThan(merge);
            if (model.kind() == io.lakehousecdc.warehouse.model.ModelKind.FACT) {
                int delete = indexOf(sql, "DELETE FROM \"dw\".\"consultation_fact\" USING \"_lh_0_last\"");
                assertThat(delete).isGreaterThan(dedup).isLessThan(merge);
                assertThat(sql.get(delete)).endsWith("\"_lh_0_last\".\"_cdc_op\" = 'd'");
            }
        }
    }

    @Test
    void scd2UpsertsVersionsBySurrogateKeyLettingIdentityNumberNewOnes() {
        String merge = texts(statements.apply(models.get(0), "\"_lh_stage\"", "_lh_0_")).stream()
                .filter(s -> s.startsWith("MERGE")).findFirst().orElseThrow();
        Matcher m = MERGE.matcher(merge);
        assertThat(m.matches()).isTrue();
        assertThat(m.group(3)).isEqualTo("\"dw\".\"doctor_dim\".\"doctor_sk\" = s.\"doctor_sk\"");
        assertThat(m.group(5)).doesNotContain("\"doctor_sk\"");
    }

    @Test
    void tablesCarryDistributionSortKeysAndEncodings() {
        String dim = statements.createTable(models.get(0)).text();
        assertThat(dim).startsWith("CREATE TABLE IF NOT EXISTS \"dw\".\"doctor_dim\" (\"doctor_sk\" BIGINT IDENTITY(1,1) NOT NULL")
                .contains("\"name\" VARCHAR(65535) ENCODE ZSTD", "\"specialty\" VARCHAR(200) ENCODE BYTEDICT", "\"valid_from\" TIMESTAMP NOT NULL",
                        "PRIMARY KEY (\"doctor_sk\")")
                .endsWith(") DISTKEY (\"doctor_id\") COMPOUND SORTKEY (\"doctor_id\", \"valid_from\")");
        assertThat(statements.createTable(models.get(1)).text()).endsWith("UNIQUE (\"id\")) DISTSTYLE ALL");
        assertThat(statements.createTable(models.get(2)).text()).contains("\"fee\" DECIMAL(10,2) ENCODE AZ64", "\"doctor_sk\" BIGINT")
                .endsWith(") DISTKEY (\"doctor_sk\") COMPOUND SORTKEY (\"started_at\")");
        assertThat(statements.createReport(models.get(3)).text()).isEqualTo("CREATE TABLE \"dw\".\"revenue\" DISTSTYLE ALL COMPOUND SORTKEY (\"specialty\")"
                + " AS SELECT * FROM (SELECT d.specialty, SUM(f.fee) AS revenue FROM \"dw\".\"consultation_fact\" f JOIN \"dw\".\"doctor_dim\" d"
                + " ON d.doctor_sk = f.doctor_sk GROUP BY 1) AS q WHERE 1 = 0");
    }

    @Test
    void reportsAreRecomputedWithoutTruncateWhichWouldCommit() {
        assertThat(texts(statements.refresh(models.get(3)))).containsExactly(
                "DELETE FROM \"dw\".\"revenue\"",
                "INSERT INTO \"dw\".\"revenue\" SELECT d.specialty, SUM(f.fee) AS revenue FROM \"dw\".\"consultation_fact\" f"
                        + " JOIN \"dw\".\"doctor_dim\" d ON d.doctor_sk = f.doctor_sk GROUP BY 1");
    }

    @Test
    void stagingIsCopiedAsParquetFromTheBatchPrefixWithTheIamRole() {
        S3ParquetStaging staging = new S3ParquetStaging(S3Client.builder().region(software.amazon.awssdk.regions.Region.AP_SOUTHEAST_3).build(),
                "s3://lake-stage/warehouse/", "arn:aws:iam::123456789012:role/redshift-copy");
        StagedRows rows = new StagedRows("_lh_stage", List.of("id", "_cdc_seq"), List.of(new BigIntType(), new BigIntType()), List.of());

        List<String> sql = texts(staging.copyStatements(rows, "warehouse/batch-1/"));

        assertThat(sql).containsExactly(
                "CREATE TEMP TABLE \"_lh_stage\" (\"id\" BIGINT, \"_cdc_seq\" BIGINT)",
                "COPY \"_lh_stage\" FROM 's3://lake-stage/warehouse/batch-1/' IAM_ROLE 'arn:aws:iam::123456789012:role/redshift-copy' FORMAT AS PARQUET");
        assertThat(texts(new S3ParquetStaging(S3Client.builder().region(software.amazon.awssdk.regions.Region.AP_SOUTHEAST_3).build(),
                "s3://lake-stage", null).copyStatements(rows, "b/")).get(1)).endsWith("IAM_ROLE default FORMAT AS PARQUET");
    }

    @Test
    void bookkeepingValuesAreWrittenInOnlyWhenTheyAreIdsInstantsOrCounts() {
        List<Sql> record = statements.recordInstant(models.get(0), "clinic_clinic_doctors", "20240101100000000", 3);
        assertThat(DataApiConnection.inline(record.get(1))).isEqualTo("INSERT INTO \"dw\".\"lakehouse_feed_state\" (\"model\", \"lake_table\","
                + " \"last_instant\", \"applied_at\", \"rows\") VALUES ('doctor_dim', 'clinic_clinic_doctors', '20240101100000000', CURRENT_TIMESTAMP, 3)");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DataApiConnection.inline(Sql.of("SELECT ?", "x'; DROP TABLE y; --")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static int indexOf(List<String> sql, String fragment) {
        for (int i = 0; i < sql.size(); i++) {
            if (sql.get(i).contains(fragment)) {
                return i;
            }
        }
        return -1;
    }

    private static int count(String text, String fragment) {
        return text.split(Pattern.quote(fragment), -1).length - 1;
    }

    private static List<String> texts(List<Sql> sql) {
        return sql.stream().map(Sql::text).toList();
    }

    private static Model parse(String yaml) {
        return ModelLoader.parse(yaml, "test.yaml", "m");
    }

    private static Map<String, Model> byName(List<Model> models) {
        Map<String, Model> out = new LinkedHashMap<>();
        ModelLoader.validateTogether(models).forEach(m -> out.put(m.name(), m));
        return out;
    }

    private static RowType row(Object... pairs) {
        List<RowType.RowField> fields = new ArrayList<>();
        for (int i = 0; i < pairs.length; i += 2) {
            fields.add(new RowType.RowField((String) pairs[i], (LogicalType) pairs[i + 1]));
        }
        return new RowType(fields);
    }
}
