package io.lakehousecdc.source;

import io.lakehousecdc.core.SetupException;

import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SourceSettingsTest {

    private static Configuration clinic(String key, String value) {
        return Configuration.fromMap(Map.of("id", "clinic", "username", "cdc", "password", "secret", key, value));
    }

    @Test
    void debeziumSettingsArePassedOn() {
        SourceSettings settings = new SourceSettings(clinic("debezium.snapshot.mode", "initial"), "MySQL", 3306);

        assertThat(settings.debeziumProperties(Map.of()).getProperty("snapshot.mode")).isEqualTo("initial");
    }

    @Test
    void debeziumSettingsThatChangeTheColumnsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> new SourceSettings(clinic("debezium.column.exclude.list", "clinic.patients.ssn"), "MySQL", 3306))
                .isInstanceOf(SetupException.class)
                .hasMessageStartingWith("Source clinic: debezium.column.exclude.list is not supported: the lake takes each"
                        + " table's columns and their types from the database");
        assertThatThrownBy(() -> new SourceSettings(clinic("debezium.decimal.handling.mode", "double"), "PostgreSQL", 5432))
                .hasMessageContaining("debezium.decimal.handling.mode is not supported");
    }
}
