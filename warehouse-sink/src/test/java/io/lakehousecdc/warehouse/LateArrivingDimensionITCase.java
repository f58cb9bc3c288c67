package io.lakehousecdc.warehouse;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.List;

import static io.lakehousecdc.warehouse.LocalWarehouse.CONSULTATIONS;
import static io.lakehousecdc.warehouse.LocalWarehouse.DOCTORS;
import static io.lakehousecdc.warehouse.LocalWarehouse.batch;
import static io.lakehousecdc.warehouse.LocalWarehouse.change;
import static org.assertj.core.api.Assertions.assertThat;

/** Facts take the surrogate key of the dimension version valid at their time; a missing dimension row is inferred. */
class LateArrivingDimensionITCase {

    static final String DOCTOR_DIM = """
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
            """;
    static final String CONSULTATION_FACT = """
            name: consultation_fact
            kind: fact
            lake-table: clinic_clinic_consultations
            key: [consultation_id]
            time: started_at
            columns:
              - {lake: id, as: consultation_id}
              - doctor_id
              - started_at
              - fee
            dimensions:
              - {model: doctor_dim, columns: [doctor_id], as: doctor_sk}
            """;

    private LocalWarehouse warehouse;
    private WarehouseFeed feed;

    @BeforeEach
    void setUp() throws Exception {
        warehouse = LocalWarehouse.create("facts");
        feed = warehouse.feed(DOCTOR_DIM, CONSULTATION_FACT);
    }

    @AfterEach
    void tearDown() throws Exception {
        feed.close();
        warehouse.close();
    }

    @Test
    void aFactBeforeItsDimensionGetsAnInferredMemberThatIsLaterCompletedUnderTheSameKey() throws Exception {
        feed.apply(batch(CONSULTATIONS, "20240101100000000",
                consultation("c", 1, 100L, 7L, "2024-01-01T09:00:00", "150000.00")));

        List<List<String>> inferred = warehouse.rows("SELECT doctor_sk, name, is_inferred, is_current FROM {schema}.doctor_dim WHERE doctor_id = 7");
        assertThat(inferred).hasSize(1);
        assertThat(inferred.get(0).subList(1, 4)).containsExactly(null, "t", "t");
        String sk = inferred.get(0).get(0);
        assertThat(warehouse.rows("SELECT doctor_sk FROM {schema}.consultation_fact WHERE consultation_id = 100")).containsExactly(List.of(sk));

        feed.apply(batch(DOCTORS, "20240101110000000",
                change("c", 5, "2024-01-01T10:00:00", "id", 7L, "name", "Dewi", "specialty", "GP")));

        assertThat(warehouse.rows("SELECT doctor_sk, name, specialty, is_inferred, is_current, version FROM {schema}.doctor_dim WHERE doctor_id = 7"))
                .containsExactly(List.of(sk, "Dewi", "GP", "f", "t", "1"));
        assertThat(warehouse.rows("SELECT doctor_sk FROM {schema}.consultation_fact WHERE consultation_id = 100")).containsExactly(List.of(sk));
    }

    @Test
    void anScd1InferredMemberIsCompletedInPlaceByTheRealRow() throws Exception {
        WarehouseFeed scd1 = warehouse.feed(DOCTOR_DIM.replace("scd: 2", "scd: 1").replace("doctor_dim", "doctor_now"),
                CONSULTATION_FACT.replace("consultation_fact", "consultation_now").replace("doctor_dim", "doctor_now"));
        try {
            scd1.apply(batch(CONSULTATIONS, "20240101100000000",
                    consultation("c", 10, 100L, 7L, "2024-01-01T09:00:00", "150000.00")));
            String sk = warehouse.rows("SELECT doctor_sk FROM {schema}.doctor_now WHERE doctor_id = 7").get(0).get(0);

            scd1.apply(batch(DOCTORS, "20240101110000000",
                    change("c", 5, "2024-01-01T10:00:00", "id", 7L, "name", "Dewi", "specialty", "GP")));

            assertThat(warehouse.rows("SELECT doctor_sk, name, is_inferred FROM {schema}.doctor_now WHERE doctor_id = 7"))
                    .containsExactly(List.of(sk, "Dewi", "f"));
        } finally {
            scd1.close();
        }
    }

    @Test
    void aFactTakesTheVersionValidAtItsTime() throws Exception {
        feed.apply(batch(DOCTORS, "20240101100000000",
                change("c", 1, "2024-01-01T08:00:00", "id", 7L, "name", "Dewi", "specialty", "GP"),
                change("u", 2, "2024-01-01T12:00:00", "id", 7L, "name", "Dewi", "specialty", "Cardio")));
        feed.apply(batch(CONSULTATIONS, "20240101130000000",
                consultation("c", 1, 100L, 7L, "2024-01-01T09:00:00", "100.00"),
                consultation("c", 2, 101L, 7L, "2024-01-01T12:30:00", "200.00"),
                consultation("c", 3, 102L, 7L, "2024-01-01T07:00:00", "300.00")));

        assertThat(warehouse.rows("SELECT f.consultation_id, d.specialty FROM {schema}.consultation_fact f"
                + " JOIN {schema}.doctor_dim d ON d.doctor_sk = f.doctor_sk ORDER BY f.consultation_id"))
                .containsExactly(List.of("100", "GP"), List.of("101", "Cardio"), List.of("102", "GP"));
    }

    @Test
    void factUpdatesReplaceTheRowAndDeletesRemoveIt() throws Exception {
        feed.apply(batch(CONSULTATIONS, "20240101100000000",
                consultation("c", 1, 100L, 7L, "2024-01-01T09:00:00", "100.00"),
                consultation("c", 2, 101L, 7L, "2024-01-01T09:00:00", "100.00"),
                consultation("u", 3, 100L, 7L, "2024-01-01T09:00:00", "120.00")));
        feed.apply(batch(CONSULTATIONS, "20240101110000000",
                consultation("d", 4, 101L, 7L, "2024-01-01T09:00:00", "100.00")));

        assertThat(warehouse.rows("SELECT consultation_id, fee FROM {schema}.consultation_fact ORDER BY consultation_id"))
                .containsExactly(List.of("100", "120.00"));
    }

    static ChangeRow consultation(String op, long seq, long id, Long doctor, String startedAt, String fee) {
        return change(op, seq, startedAt, "id", id, "doctor_id", doctor, "started_at", LocalDateTime.parse(startedAt),
                "fee", new BigDecimal(fee), "status", "done");
    }
}
