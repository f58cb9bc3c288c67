package io.lakehousecdc.warehouse;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

import static io.lakehousecdc.warehouse.LateArrivingDimensionITCase.DOCTOR_DIM;
import static io.lakehousecdc.warehouse.LocalWarehouse.DOCTORS;
import static io.lakehousecdc.warehouse.LocalWarehouse.batch;
import static io.lakehousecdc.warehouse.LocalWarehouse.change;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Catching up: a model without history starts from the whole change log as one batch, then
 * follows commit by commit; commits without changes cost no transaction until the table has
 * been idle for a while, when the position moves past them.
 */
class CatchUpITCase {

    private static final String VERSIONS = "SELECT doctor_id, name, specialty, version, is_current FROM {schema}.doctor_dim ORDER BY 1, 4";

    private LocalWarehouse warehouse;
    private WarehouseFeed feed;
    private final Log log = new Log();

    @BeforeEach
    void setUp() throws Exception {
        warehouse = LocalWarehouse.create("catchup");
        feed = warehouse.feed(DOCTOR_DIM);
    }

    @AfterEach
    void tearDown() throws Exception {
        feed.close();
        warehouse.close();
    }

    @Test
    void historyFirstThenEachCommitAndIdleCommitsOnlyNowAndThen() throws Exception {
        log.commit("20240101100000000", change("r", 1, "2024-01-01T08:00:00", "id", 7L, "name", "Dewi", "specialty", "GP"));
        log.commit("20240101100100000", change("u", 2, "2024-01-01T10:00:30", "id", 7L, "name", "Dewi", "specialty", "Cardio"));

        List<ApplyResult> first = feed.catchUp(log);

        assertThat(first).extracting(ApplyResult::instant).containsExactly("20240101100100000");
        assertThat(log.historyReads).isEqualTo(1);
        assertThat(warehouse.rows(VERSIONS)).containsExactly(List.of("7", "Dewi", "GP", "1", "f"), List.of("7", "Dewi", "Cardio", "2", "t"));

        log.commit("20240101100200000");
        log.commit("20240101100300000");
        assertThat(feed.catchUp(log)).as("commits without changes, a minute apart").isEmpty();
        assertThat(feed.appliedUpTo(DOCTORS)).isEqualTo("20240101100100000");
        assertThat(feed.catchUp(log)).as("and read once only").isEmpty();
        assertThat(log.reads).containsExactly("20240101100200000", "20240101100300000");

        log.commit("20240101100700000");
        assertThat(feed.catchUp(log)).as("five minutes without changes").extracting(ApplyResult::instant).containsExactly("20240101100700000");
        assertThat(feed.appliedUpTo(DOCTORS)).isEqualTo("20240101100700000");

        log.commit("20240101100800000", change("u", 3, "2024-01-01T10:08:00", "id", 7L, "name", "Dewi S.", "specialty", "Cardio"));
        assertThat(feed.catchUp(log)).extracting(ApplyResult::instant).containsExactly("20240101100800000");
        assertThat(warehouse.rows(VERSIONS)).containsExactly(List.of("7", "Dewi", "GP", "1", "f"), List.of("7", "Dewi", "Cardio", "2", "f"),
                List.of("7", "Dewi S.", "Cardio", "3", "t"));
        assertThat(log.historyReads).as("history is read only for a model without any").isEqualTo(1);
    }

    @Test
    void aModelThatReplacesAnotherStartsFromTheHistoryAlthoughTheOldOneLeftItsPosition() throws Exception {
        log.commit("20240101100000000", change("r", 1, "2024-01-01T08:00:00", "id", 7L, "name", "Dewi", "specialty", "GP"));
        feed.catchUp(log);
        feed.close();

        feed = warehouse.feed(DOCTOR_DIM.replace("name: doctor_dim", "name: doctor_versions"));
        log.commit("20240101100100000", change("c", 2, "2024-01-01T10:00:30", "id", 8L, "name", "Eka", "specialty", "Cardio"));
        feed.catchUp(log);

        assertThat(warehouse.rows("SELECT doctor_id, name FROM {schema}.doctor_versions ORDER BY 1"))
                .containsExactly(List.of("7", "Dewi"), List.of("8", "Eka"));
        assertThat(feed.appliedUpTo(DOCTORS)).isEqualTo("20240101100100000");
    }

    /** A change log in memory: commits in instant order, each with its changes. */
    private static final class Log implements ChangeBatchSource {
        private final TreeMap<String, List<ChangeRow>> commits = new TreeMap<>();
        private final List<String> reads = new ArrayList<>();
        private int historyReads;

        void commit(String instant, ChangeRow... rows) {
            commits.put(instant, List.of(rows));
        }

        @Override
        public List<String> instantsAfter(String lakeTable, String instant) {
            return List.copyOf(commits.tailMap(instant, false).keySet());
        }

        @Override
        public ChangeBatch read(String lakeTable, String instant) {
            reads.add(instant);
            return batch(lakeTable, instant, commits.get(instant).toArray(ChangeRow[]::new));
        }

        @Override
        public Optional<ChangeBatch> readHistory(String lakeTable) {
            historyReads++;
            List<ChangeRow> all = new ArrayList<>();
            commits.values().forEach(all::addAll);
            return commits.isEmpty() ? Optional.empty() : Optional.of(new ChangeBatch(lakeTable, commits.lastKey(), all));
        }
    }
}
