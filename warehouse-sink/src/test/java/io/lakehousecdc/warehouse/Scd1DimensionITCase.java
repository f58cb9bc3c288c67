package io.lakehousecdc.warehouse;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.lakehousecdc.warehouse.LocalWarehouse.DOCTORS;
import static io.lakehousecdc.warehouse.LocalWarehouse.batch;
import static io.lakehousecdc.warehouse.LocalWarehouse.change;
import static org.assertj.core.api.Assertions.assertThat;

/** SCD1 dimensions: upsert by natural key, deletes delete or flag. */
class Scd1DimensionITCase {

    private static final String DELETING = """
            name: doctor_current
            kind: dimension
            scd: 1
            lake-table: clinic_clinic_doctors
            key: [id]
            columns: [id, name, specialty]
            """;
    private static final String FLAGGING = """
            name: doctor_flagged
            kind: dimension
            scd: 1
            on-delete: flag
            lake-table: clinic_clinic_doctors
            key: [doctor_id]
            columns:
              - {lake: id, as: doctor_id}
              - {lake: name, as: full_name}
            """;

    private LocalWarehouse warehouse;
    private WarehouseFeed feed;

    @BeforeEach
    void setUp() throws Exception {
        warehouse = LocalWarehouse.create("scd1");
        feed = warehouse.feed(DELETING, FLAGGING);
    }

    @AfterEach
    void tearDown() throws Exception {
        feed.close();
        warehouse.close();
    }

    @Test
    void upsertKeepsTheLastChangeAndDeleteRemovesOrFlagsTheRow() throws Exception {
        feed.apply(batch(DOCTORS, "20240101100000000",
                change("r", 1, "2024-01-01T08:00:00", "id", 1L, "name", "Ana", "specialty", "GP"),
                change("r", 2, "2024-01-01T08:00:00", "id", 2L, "name", "Budi", "specialty", "GP"),
                change("u", 3, "2024-01-01T09:00:00", "id", 1L, "name", "Ana", "specialty", "Cardio"),
                change("u", 4, "2024-01-01T09:05:00", "id", 1L, "name", "Ana Maria", "specialty", "Cardio")));
        List<List<String>> skBefore = warehouse.rows("SELECT id, sk FROM {schema}.doctor_current ORDER BY id");

        feed.apply(batch(DOCTORS, "20240101110000000",
                change("d", 5, "2024-01-01T10:00:00", "id", 2L, "name", "Budi", "specialty", "GP"),
                change("c", 6, "2024-01-01T10:00:00", "id", 3L, "name", "Citra", "specialty", "Derm")));

        assertThat(warehouse.rows("SELECT id, name, specialty, is_inferred FROM {schema}.doctor_current ORDER BY id"))
                .containsExactly(List.of("1", "Ana Maria", "Cardio", "f"), List.of("3", "Citra", "Derm", "f"));
        assertThat(warehouse.rows("SELECT id, sk FROM {schema}.doctor_current WHERE id = 1")).containsExactly(skBefore.get(0));
        assertThat(warehouse.rows("SELECT doctor_id, full_name, is_deleted FROM {schema}.doctor_flagged ORDER BY doctor_id"))
                .containsExactly(List.of("1", "Ana Maria", "f"), List.of("2", "Budi", "t"), List.of("3", "Citra", "f"));
    }

    @Test
    void aChangeOlderThanTheRowDoesNotOverwriteIt() throws Exception {
        feed.apply(batch(DOCTORS, "20240101100000000",
                change("u", 20, "2024-01-01T10:00:00", "id", 1L, "name", "New", "specialty", "GP")));
        feed.apply(batch(DOCTORS, "20240101110000000",
                change("u", 10, "2024-01-01T09:00:00", "id", 1L, "name", "Old", "specialty", "GP")));

        assertThat(warehouse.rows("SELECT name FROM {schema}.doctor_current")).containsExactly(List.of("New"));
    }
}
