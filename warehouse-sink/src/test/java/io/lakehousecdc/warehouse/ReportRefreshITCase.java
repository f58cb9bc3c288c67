package io.lakehousecdc.warehouse;

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

/** A report is kept equal to its query after every batch that changes what it reads. */
class ReportRefreshITCase {

    private static final String REVENUE = """
            name: revenue_by_specialty
            kind: report
            sql: |
              SELECT COALESCE(d.specialty, 'unknown') AS specialty, COUNT(*) AS consultations, SUM(f.fee) AS revenue
              FROM {consultation_fact} f JOIN {doctor_dim} d ON d.doctor_sk = f.doctor_sk
              GROUP BY COALESCE(d.specialty, 'unknown')
            """;
    private static final String DIRECT = "SELECT COALESCE(d.specialty, 'unknown'), COUNT(*), SUM(f.fee)"
            + " FROM {schema}.consultation_fact f JOIN {schema}.doctor_dim d ON d.doctor_sk = f.doctor_sk"
            + " GROUP BY 1 ORDER BY 1";

    private LocalWarehouse warehouse;
    private WarehouseFeed feed;

    @BeforeEach
    void setUp() throws Exception {
        warehouse = LocalWarehouse.create("report");
        feed = warehouse.feed(DOCTOR_DIM, CONSULTATION_FACT, REVENUE);
    }

    @AfterEach
    void tearDown() throws Exception {
        feed.close();
        warehouse.close();
    }

    @Test
    void aReportAddedOverModelsThatHoldRowsIsFilledWhenTheFeedStarts() throws Exception {
        feed.apply(batch(CONSULTATIONS, "20240101100000000",
                consultation("c", 1, 100L, 7L, "2024-01-01T09:00:00", "100.00"),
                consultation("c", 2, 101L, 8L, "2024-01-01T09:30:00", "50.00")));
        feed.close();
        warehouse.execute("DROP TABLE {schema}.revenue_by_specialty");

        feed = warehouse.feed(DOCTOR_DIM, CONSULTATION_FACT, REVENUE);

        assertThat(warehouse.rows("SELECT specialty, consultations, revenue FROM {schema}.revenue_by_specialty ORDER BY 1"))
                .isEqualTo(warehouse.rows(DIRECT)).containsExactly(List.of("unknown", "2", "150.00"));
    }

    @Test
    void theReportEqualsTheAggregateComputedDirectlyAfterEachBatch() throws Exception {
        String report = "SELECT specialty, consultations, revenue FROM {schema}.revenue_by_specialty ORDER BY 1";
        ApplyResult first = feed.apply(batch(CONSULTATIONS, "20240101100000000",
                consultation("c", 1, 100L, 7L, "2024-01-01T09:00:00", "100.00"),
                consultation("c", 2, 101L, 8L, "2024-01-01T09:30:00", "50.00")));
        assertThat(first.refreshed()).containsExactly("revenue_by_specialty");
        assertThat(warehouse.rows(report)).isEqualTo(warehouse.rows(DIRECT)).hasSize(1);

        feed.apply(batch(DOCTORS, "20240101110000000",
                change("c", 1, "2024-01-01T08:00:00", "id", 7L, "name", "Dewi", "specialty", "GP"),
                change("c", 2, "2024-01-01T08:00:00", "id", 8L, "name", "Eka", "specialty", "Cardio")));
        feed.apply(batch(CONSULTATIONS, "20240101120000000",
                consultation("c", 3, 102L, 8L, "2024-01-01T11:00:00", "75.50"),
                consultation("d", 4, 100L, 7L, "2024-01-01T09:00:00", "100.00")));

        assertThat(warehouse.rows(report)).isEqualTo(warehouse.rows(DIRECT)).hasSize(1);
        assertThat(warehouse.rows(report).get(0)).containsExactly("Cardio", "2", "125.50");
    }
}
