package io.lakehousecdc.warehouse;

import io.lakehousecdc.warehouse.sql.WarehouseException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.lakehousecdc.warehouse.LateArrivingDimensionITCase.CONSULTATION_FACT;
import static io.lakehousecdc.warehouse.LateArrivingDimensionITCase.DOCTOR_DIM;
import static io.lakehousecdc.warehouse.LateArrivingDimensionITCase.consultation;
import static io.lakehousecdc.warehouse.LocalWarehouse.CONSULTATIONS;
import static io.lakehousecdc.warehouse.LocalWarehouse.DOCTORS;
import static io.lakehousecdc.warehouse.LocalWarehouse.batch;
import static io.lakehousecdc.warehouse.LocalWarehouse.change;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A batch delivered again changes nothing; a batch whose transaction failed leaves nothing behind. */
class ExactlyOnceApplyITCase {

    private static final String DIM_ROWS = "SELECT doctor_sk, doctor_id, name, specialty, valid_from, valid_to, version FROM {schema}.doctor_dim ORDER BY 1";
    private static final String FACT_ROWS = "SELECT consultation_id, doctor_sk, fee FROM {schema}.consultation_fact ORDER BY 1";

    private LocalWarehouse warehouse;
    private WarehouseFeed feed;

    @BeforeEach
    void setUp() throws Exception {
        warehouse = LocalWarehouse.create("once");
        feed = warehouse.feed(DOCTOR_DIM, CONSULTATION_FACT);
    }

    @AfterEach
    void tearDown() throws Exception {
        feed.close();
        warehouse.close();
    }

    @Test
    void aBatchDeliveredAgainAfterARestartIsSkipped() throws Exception {
        ChangeBatch doctors = batch(DOCTORS, "20240101100000000",
                change("c", 1, "2024-01-01T08:00:00", "id", 7L, "name", "Dewi", "specialty", "GP"),
                change("u", 2, "2024-01-01T09:00:00", "id", 7L, "name", "Dewi", "specialty", "Cardio"));
        ChangeBatch consultations = batch(CONSULTATIONS, "20240101100000000",
                consultation("c", 1, 100L, 7L, "2024-01-01T08:30:00", "10.00"));
        feed.apply(doctors);
        feed.apply(consultations);
        List<List<String>> dim = warehouse.rows(DIM_ROWS);
        List<List<String>> facts = warehouse.rows(FACT_ROWS);
        feed.close();

        feed = warehouse.feed(DOCTOR_DIM, CONSULTATION_FACT);
        assertThat(feed.appliedUpTo(DOCTORS)).isEqualTo("20240101100000000");
        ApplyResult again = feed.apply(doctors);
        feed.apply(consultations);

        assertThat(again.applied()).isEmpty();
        assertThat(again.skipped()).containsExactly("doctor_dim");
        assertThat(warehouse.rows(DIM_ROWS)).isEqualTo(dim).hasSize(2);
        assertThat(warehouse.rows(FACT_ROWS)).isEqualTo(facts).hasSize(1);
        assertThat(warehouse.rows("SELECT model, lake_table, last_instant, rows FROM {schema}.lakehouse_feed_state ORDER BY 1"))
                .containsExactly(List.of("consultation_fact", CONSULTATIONS, "20240101100000000", "1"),
                        List.of("doctor_dim", DOCTORS, "20240101100000000", "2"));
    }

    @Test
    void aBatchWhoseTransactionFailedMidwayIsRolledBackAndAppliesWholeOnRetry() throws Exception {
        feed.apply(batch(DOCTORS, "20240101100000000",
                change("c", 1, "2024-01-01T08:00:00", "id", 7L, "name", "Dewi", "specialty", "GP")));
        // The warehouse fails the transaction after the model's rows are written, at the bookkeeping step.
        warehouse.execute("CREATE TABLE {schema}.fail_next (x int)");
        warehouse.execute("INSERT INTO {schema}.fail_next VALUES (1)");
        warehouse.execute("""
                CREATE FUNCTION {schema}.fail_once() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  IF EXISTS (SELECT 1 FROM %1$s.fail_next) THEN
                    RAISE EXCEPTION 'injected failure';
                  END IF;
                  RETURN NEW;
                END $$""".formatted("\"" + warehouse.schema + "\""));
        warehouse.execute("CREATE TRIGGER fail_once BEFORE INSERT ON {schema}.lakehouse_feed_state FOR EACH ROW EXECUTE FUNCTION {schema}.fail_once()");
        List<List<String>> before = warehouse.rows(DIM_ROWS);
        ChangeBatch batch = batch(DOCTORS, "20240101110000000",
                change("u", 2, "2024-01-01T10:00:00", "id", 7L, "name", "Dewi", "specialty", "Cardio"),
                change("c", 3, "2024-01-01T10:00:00", "id", 8L, "name", "Eka", "specialty", "Derm"));

        assertThatThrownBy(() -> feed.apply(batch)).isInstanceOf(WarehouseException.class).hasMessageContaining("injected failure");
        assertThat(warehouse.rows(DIM_ROWS)).isEqualTo(before);
        assertThat(feed.appliedUpTo(DOCTORS)).isEqualTo("20240101100000000");

        warehouse.execute("DELETE FROM {schema}.fail_next");
        feed.apply(batch);
        feed.apply(batch);

        assertThat(warehouse.rows("SELECT doctor_id, specialty, version, is_current FROM {schema}.doctor_dim ORDER BY doctor_id, version"))
                .containsExactly(List.of("7", "GP", "1", "f"), List.of("7", "Cardio", "2", "t"), List.of("8", "Derm", "1", "t"));
        assertThat(feed.appliedUpTo(DOCTORS)).isEqualTo("20240101110000000");
    }
}
