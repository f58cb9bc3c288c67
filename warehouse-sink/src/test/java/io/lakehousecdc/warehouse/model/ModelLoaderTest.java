package io.lakehousecdc.warehouse.model;

import io.lakehousecdc.core.SetupException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelLoaderTest {

    private static final String DIM = """
            kind: dimension
            scd: 2
            lake-table: clinic_clinic_doctors
            key: [doctor_id]
            columns:
              - {lake: id, as: doctor_id}
              - name
              - {lake: specialty, type: VARCHAR(40)}
            tracked: [specialty]
            redshift:
              distkey: doctor_id
              sortkey: [doctor_id, valid_from]
              encode: {name: zstd}
            """;

    @Test
    void aDirectoryOfModelsLoadsWithNamesFromTheFiles(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("doctor_dim.yaml"), DIM);
        Files.writeString(dir.resolve("fact.yml"), """
                name: consultation_fact
                kind: fact
                lake-table: clinic_clinic_consultations
                key: [id]
                time: started_at
                columns: [id, doctor_id, started_at, fee]
                dimensions:
                  - {model: doctor_dim, columns: [doctor_id]}
                """);
        Files.writeString(dir.resolve("report.yaml"), """
                kind: report
                sql: SELECT COUNT(*) AS n FROM {consultation_fact} f JOIN {doctor_dim} d ON d.sk = f.doctor_dim_sk
                """);
        Files.writeString(dir.resolve("README.txt"), "not a model");

        List<Model> models = ModelLoader.load(dir);

        assertThat(models).extracting(Model::name).containsExactly("doctor_dim", "consultation_fact", "report");
        Model dim = models.get(0);
        assertThat(dim.kind()).isEqualTo(ModelKind.SCD2_DIMENSION);
        assertThat(dim.surrogateKey()).isEqualTo("sk");
        assertThat(dim.tracked()).containsExactly("specialty");
        assertThat(dim.requireColumn("specialty").type()).isEqualTo("VARCHAR(40)");
        assertThat(dim.redshift().sortKey()).containsExactly("doctor_id", "valid_from");
        assertThat(models.get(1).dimensions().get(0).as()).isEqualTo("doctor_dim_sk");
        assertThat(models.get(2).inputs()).containsExactly("consultation_fact", "doctor_dim");
    }

    @Test
    void mistakesAreOneLineNamingFileModelAndFix() {
        assertError(DIM.replace("key: [doctor_id]", "key: [id]"),
                "Model file m.yaml, model doctor_dim: key column 'id' is not among its columns: add it under columns or fix the name");
        assertError(DIM.replace("scd: 2", "scd: 3"), "a dimension needs 'scd: 1' (upsert in place) or 'scd: 2' (keep versions)");
        assertError(DIM.replace("tracked: [specialty]", "tracked: [doctor_id]"), "tracked column 'doctor_id' is part of the key");
        assertError(DIM.replace("lake-table", "lake_table"), "field 'lake_table' is not one of a dimension's");
        assertError(DIM.replace("{name: zstd}", "{name: gzip}"), "redshift encoding 'gzip' of column name is unknown");
        assertError(DIM.replace("distkey: doctor_id", "distkey: nope"), "redshift distkey column 'nope' is not a column of the table");
        assertError(DIM.replace("- name", "- {lake: name, as: valid_from}"), "column 'valid_from' has a name the warehouse keeps for itself");
        assertError(DIM.replace("VARCHAR(40)", "VARCHAR(40); DROP TABLE x"), "which is not a plain SQL type");
        assertError("kind: cube", "kind 'cube' is unknown: use dimension, fact or report");
        assertError("kind: [", "is not valid YAML");
    }

    @Test
    void modelsAreCheckedTogether() {
        Model fact = ModelLoader.parse("""
                kind: fact
                lake-table: t
                key: [id]
                time: at
                columns: [id, at, doctor_id]
                dimensions: [{model: doctor, columns: [doctor_id]}]
                """, "fact.yaml", "fact");
        Model report = ModelLoader.parse("kind: report\nsql: SELECT * FROM {missing}", "r.yaml", "r");

        assertThatThrownBy(() -> ModelLoader.validateTogether(List.of(fact)))
                .hasMessage("Model file fact.yaml, model fact: dimension 'doctor' is not a model: name a dimension model");
        assertThatThrownBy(() -> ModelLoader.validateTogether(List.of(report)))
                .hasMessage("Model file r.yaml, model r: its sql reads {missing}, which is not a model: name a model of warehouse.models");
    }

    private static void assertError(String yaml, String expected) {
        assertThatThrownBy(() -> ModelLoader.parse(yaml, "m.yaml", "doctor_dim"))
                .isInstanceOf(SetupException.class)
                .hasMessageContaining(expected)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
}
