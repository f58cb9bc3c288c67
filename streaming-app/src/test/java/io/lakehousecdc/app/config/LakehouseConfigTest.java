package io.lakehousecdc.app.config;

import io.lakehousecdc.core.SetupException;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LakehouseConfigTest {

    private static final String YAML = """
            pipeline:
              name: clinic-lake
              checkpoint-interval: 30s
            sources:
              - id: clinic
                type: mysql
                hostname: db.internal
                password: ${env:CLINIC_DB_PASSWORD}
            lake:
              base-path: /var/lib/lakehouse/lake
            tables:
              - source: clinic
                table: clinic.consultations
                partition-by: started_at
            """;

    private static LakehouseConfig parse(List<String> overrides, Map<String, String> env) {
        return LakehouseConfig.parse(YAML, "lakehouse.yaml", overrides, env);
    }

    @Test
    void precedenceIsDefaultsThenFileThenSet() {
        LakehouseConfig config = parse(List.of("pipeline.checkpoint-interval=5s"), Map.of("CLINIC_DB_PASSWORD", "s3cret"));
        Map<String, Setting> settings = config.settings();
        assertThat(settings.get("pipeline.timezone")).isEqualTo(Setting.of("Asia/Jakarta", "default", false));
        assertThat(settings.get("pipeline.name").origin()).isEqualTo("lakehouse.yaml");
        assertThat(settings.get("pipeline.checkpoint-interval").value()).isEqualTo("5s");
        assertThat(settings.get("pipeline.checkpoint-interval").origin()).isEqualTo("--set");
    }

    @Test
    void secretsResolveButAreNeverShown() {
        LakehouseConfig config = parse(List.of(), Map.of("CLINIC_DB_PASSWORD", "s3cret"));
        assertThat(config.sources()).singleElement().satisfies(source -> {
            assertThat(source.getString("password", null)).isEqualTo("s3cret");
            assertThat(source.getString("hostname", null)).isEqualTo("db.internal");
        });
        assertThat(config.settings().get("sources.clinic.password").shown()).isEqualTo("******");
    }

    @Test
    void aMissingSecretFailsOnlyWhenUsed() {
        LakehouseConfig config = parse(List.of(), Map.of());
        assertThat(config.tables()).hasSize(1);
        assertThatThrownBy(config::sources).isInstanceOf(SetupException.class)
                .hasMessage("Environment variable CLINIC_DB_PASSWORD (used by sources.clinic.password) is not set: export it before starting");
    }

    @Test
    void overridesAddressSourcesByIdAndTablesBySourceAndName() {
        LakehouseConfig config = parse(List.of("sources.clinic.port=3307",
                "tables.clinic.clinic.consultations.type=COPY_ON_WRITE"), Map.of("CLINIC_DB_PASSWORD", "x"));
        assertThat(config.sources().get(0).getString("port", null)).isEqualTo("3307");
        assertThat(config.tables().get(0).getString("type", null)).isEqualTo("COPY_ON_WRITE");
        assertThat(config.tables().get(0).getString("partition-by", null)).isEqualTo("started_at");
    }

    @Test
    void mistakesAreReportedWithTheFix() {
        assertThatThrownBy(() -> parse(List.of("sources.pharmacy.port=1"), Map.of()))
                .hasMessageContaining("no such entry; address it as sources.<id>.<key>");
        assertThatThrownBy(() -> parse(List.of("pipline.name=x"), Map.of()))
                .hasMessageContaining("unknown key");
        assertThatThrownBy(() -> parse(List.of("novalue"), Map.of())).hasMessageContaining("is not key=value");
        assertThatThrownBy(() -> LakehouseConfig.parse("piepline:\n  name: x\n", "f.yaml", List.of(), Map.of()))
                .hasMessageContaining("Unknown section 'piepline'");
        assertThatThrownBy(() -> LakehouseConfig.parse("sources: [\n", "f.yaml", List.of(), Map.of()))
                .hasMessageContaining("not valid YAML");
    }

    @Test
    void misspeltKeysFailWithTheNearestKnownKey() {
        assertThatThrownBy(() -> parse(List.of("pipeline.checkpoint-intervall=5s"), Map.of()))
                .hasMessage("Unknown key --set pipeline.checkpoint-intervall: did you mean 'pipeline.checkpoint-interval'?");
        assertThatThrownBy(() -> parse(List.of("sources.clinic.hostnme=db"), Map.of()))
                .hasMessage("Unknown key --set sources.clinic.hostnme: did you mean 'sources.clinic.hostname'?");
        assertThatThrownBy(() -> parse(List.of("tables.clinic.clinic.consultations.partition_by=day"), Map.of()))
                .hasMessageContaining("did you mean 'tables.clinic.clinic.consultations.partition-by'?");
        assertThatThrownBy(() -> LakehouseConfig.parse(YAML.replace("base-path", "basepath"), "lakehouse.yaml", List.of(), Map.of()))
                .hasMessage("Unknown key 'lake.basepath' in lakehouse.yaml: did you mean 'lake.base-path'?");
        assertThatThrownBy(() -> parse(List.of("lake.colour=blue"), Map.of()))
                .hasMessageStartingWith("Unknown key --set lake.colour: known keys here are ").hasMessageContaining("lake.base-path");
    }

    @Test
    void passThroughPrefixesAcceptAnyKey() {
        LakehouseConfig config = parse(List.of("sources.clinic.debezium.snapshot.mode=initial",
                "tables.clinic.clinic.consultations.hudi.compaction.max_memory=200"), Map.of("CLINIC_DB_PASSWORD", "x"));
        assertThat(config.sources().get(0).getString("debezium.snapshot.mode", null)).isEqualTo("initial");
        assertThat(config.tables().get(0).getString("hudi.compaction.max_memory", null)).isEqualTo("200");
    }
}
