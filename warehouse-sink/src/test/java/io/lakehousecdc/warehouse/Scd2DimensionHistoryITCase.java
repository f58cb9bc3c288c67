package io.lakehousecdc.warehouse;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.lakehousecdc.warehouse.LocalWarehouse.DOCTORS;
import static io.lakehousecdc.warehouse.LocalWarehouse.batch;
import static io.lakehousecdc.warehouse.LocalWarehouse.change;
import static org.assertj.core.api.Assertions.assertThat;

/** SCD2 history built from the change log in source order, on the local PostgreSQL. */
class Scd2DimensionHistoryITCase {

    private static final String MODEL = """
            name: doctor_dim
            kind: dimension
            scd: 2
            lake-table: clinic_clinic_doctors
            surrogate-key: doctor_sk
            key: [doctor_id]
            columns:
              - {lake: id, as: doctor_id}
              - name
              - specialty
              - phone
            tracked: [name, specialty]
            """;
    /** name, specialty, phone, valid_from, valid_to, is_current, version; by key then version. */
    private static final String HISTORY = "SELECT name, specialty, phone, valid_from, valid_to, is_current, version"
            + " FROM {schema}.doctor_dim WHERE doctor_id = 1 ORDER BY version";

    private LocalWarehouse warehouse;
    private WarehouseFeed feed;

    @BeforeEach
    void setUp() throws Exception {
        warehouse = LocalWarehouse.create("scd2");
        feed = warehouse.feed(MODEL);
    }

    @AfterEach
    void tearDown() throws Exception {
        feed.close();
        warehouse.close();
    }

    @Test
    void severalUpdatesOfOneKeyInOneBatchBecomeOneVersionEach() throws Exception {
        feed.apply(batch(DOCTORS, "20240101100000000",
                change("c", 10, "2024-01-01T09:00:00", "id", 1L, "name", "Ana", "specialty", "GP", "phone", "1"),
                change("u", 11, "2024-01-01T09:10:00", "id", 1L, "name", "Ana", "specialty", "Cardio", "phone", "1"),
                change("u", 12, "2024-01-01T09:20:00", "id", 1L, "name", "Ana B", "specialty", "Cardio", "phone", "1")));

        assertThat(warehouse.rows(HISTORY)).containsExactly(
                List.of("Ana", "GP", "1", "2024-01-01 09:00:00", "2024-01-01 09:10:00", "f", "1"),
                List.of("Ana", "Cardio", "1", "2024-01-01 09:10:00", "2024-01-01 09:20:00", "f", "2"),
                row("Ana B", "Cardio", "1", "2024-01-01 09:20:00", null, "t", "3"));
    }

    @Test
    void updateThenDeleteClosesTheCurrentVersion() throws Exception {
        feed.apply(batch(DOCTORS, "20240101100000000",
                change("c", 10, "2024-01-01T09:00:00", "id", 1L, "name", "Ana", "specialty", "GP", "phone", "1")));
        feed.apply(batch(DOCTORS, "20240101110000000",
                change("u", 20, "2024-01-01T10:00:00", "id", 1L, "name", "Ana", "specialty", "Cardio", "phone", "1"),
                change("d", 21, "2024-01-01T10:30:00", "id", 1L, "name", "Ana", "specialty", "Cardio", "phone", "1")));

        assertThat(warehouse.rows(HISTORY)).containsExactly(
                List.of("Ana", "GP", "1", "2024-01-01 09:00:00", "2024-01-01 10:00:00", "f", "1"),
                List.of("Ana", "Cardio", "1", "2024-01-01 10:00:00", "2024-01-01 10:30:00", "f", "2"));
    }

    @Test
    void deleteThenReinsertOpensANewVersionAfterTheGap() throws Exception {
        feed.apply(batch(DOCTORS, "20240101100000000",
                change("c", 10, "2024-01-01T09:00:00", "id", 1L, "name", "Ana", "specialty", "GP", "phone", "1"),
                change("d", 11, "2024-01-01T09:30:00", "id", 1L, "name", "Ana", "specialty", "GP", "phone", "1")));
        feed.apply(batch(DOCTORS, "20240101110000000",
                change("c", 20, "2024-01-01T10:00:00", "id", 1L, "name", "Ana", "specialty", "GP", "phone", "1")));

        assertThat(warehouse.rows(HISTORY)).containsExactly(
                List.of("Ana", "GP", "1", "2024-01-01 09:00:00", "2024-01-01 09:30:00", "f", "1"),
                row("Ana", "GP", "1", "2024-01-01 10:00:00", null, "t", "2"));
    }

    @Test
    void anOlderChangeArrivingLateIsInsertedAtItsPlaceInHistory() throws Exception {
        feed.apply(batch(DOCTORS, "20240101100000000",
                change("c", 10, "2024-01-01T09:00:00", "id", 1L, "name", "Ana", "specialty", "GP", "phone", "1"),
                change("u", 30, "2024-01-01T11:00:00", "id", 1L, "name", "Ana", "specialty", "Neuro", "phone", "1")));
        List<String> skBefore = warehouse.rows("SELECT doctor_sk FROM {schema}.doctor_dim ORDER BY version").stream().map(r -> r.get(0)).toList();

        feed.apply(batch(DOCTORS, "20240101120000000",
                change("u", 20, "2024-01-01T10:00:00", "id", 1L, "name", "Ana", "specialty", "Cardio", "phone", "1")));

        assertThat(warehouse.rows(HISTORY)).containsExactly(
                List.of("Ana", "GP", "1", "2024-01-01 09:00:00", "2024-01-01 10:00:00", "f", "1"),
                List.of("Ana", "Cardio", "1", "2024-01-01 10:00:00", "2024-01-01 11:00:00", "f", "2"),
                row("Ana", "Neuro", "1", "2024-01-01 11:00:00", null, "t", "3"));
        List<String> skAfter = warehouse.rows("SELECT doctor_sk FROM {schema}.doctor_dim ORDER BY version").stream().map(r -> r.get(0)).toList();
        assertThat(skAfter.get(0)).isEqualTo(skBefore.get(0));
        assertThat(skAfter.get(2)).isEqualTo(skBefore.get(1));
    }

    @Test
    void aChangeToUntrackedColumnsUpdatesTheCurrentVersionInPlace() throws Exception {
        feed.apply(batch(DOCTORS, "20240101100000000",
                change("c", 10, "2024-01-01T09:00:00", "id", 1L, "name", "Ana", "specialty", "GP", "phone", "1")));
        feed.apply(batch(DOCTORS, "20240101110000000",
                change("u", 20, "2024-01-01T10:00:00", "id", 1L, "name", "Ana", "specialty", "GP", "phone", "2")));

        assertThat(warehouse.rows(HISTORY)).containsExactly(row("Ana", "GP", "2", "2024-01-01 09:00:00", null, "t", "1"));
    }

    @Test
    void keysChangedTogetherKeepTheirOwnHistories() throws Exception {
        feed.apply(batch(DOCTORS, "20240101100000000",
                change("r", 1, "2024-01-01T08:00:00", "id", 1L, "name", "Ana", "specialty", "GP", "phone", "1"),
                change("r", 2, "2024-01-01T08:00:00", "id", 2L, "name", "Budi", "specialty", "GP", "phone", "2"),
                change("u", 3, "2024-01-01T09:00:00", "id", 2L, "name", "Budi", "specialty", "Derm", "phone", "2")));

        assertThat(warehouse.rows("SELECT doctor_id, specialty, version, is_current FROM {schema}.doctor_dim ORDER BY doctor_id, version"))
                .containsExactly(List.of("1", "GP", "1", "t"), List.of("2", "GP", "1", "f"), List.of("2", "Derm", "2", "t"));
    }

    /** A row with nulls, which List.of does not take. */
    static List<String> row(String... values) {
        return java.util.Arrays.asList(values);
    }
}
