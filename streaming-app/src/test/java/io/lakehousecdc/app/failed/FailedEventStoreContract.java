package io.lakehousecdc.app.failed;

import io.lakehousecdc.core.FailedChange;
import io.lakehousecdc.core.TableId;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What every failed-events store does, run against each of them. */
abstract class FailedEventStoreContract {

    static final TableId VISITS = TableId.mysql("clinic", "clinic", "visits");

    /** An empty store. */
    abstract FailedEventStore open();

    static FailedEvent event(long position, String row) {
        return FailedEvent.of("clinic", VISITS, new FailedChange(position, "{\"payload\": \"" + row + "\"}", row,
                "column fee: too wide", 1_700_000_000_000L + position));
    }

    @Test
    void eventsAreKeptOnceInSourceOrderAndTheirOutcomesAreRecorded() {
        FailedEventStore store = open();
        FailedEvent snapshotRowA = event(100, "id=1");
        FailedEvent snapshotRowB = event(100, "id=2");
        FailedEvent streamed = event(50, "id=3");
        store.append(List.of(snapshotRowA, snapshotRowB));
        // Delivered again after a restart, with the streamed one.
        store.append(List.of(event(100, "id=1"), streamed));

        List<FailedEvent> events = store.list(null, null);
        assertThat(events).extracting(FailedEvent::id).containsExactly(streamed.id(),
                snapshotRowA.id().compareTo(snapshotRowB.id()) < 0 ? snapshotRowA.id() : snapshotRowB.id(),
                snapshotRowA.id().compareTo(snapshotRowB.id()) < 0 ? snapshotRowB.id() : snapshotRowA.id());
        assertThat(snapshotRowA.id()).matches("clinic_clinic_visits@100-[0-9a-f]{16}").isNotEqualTo(snapshotRowB.id());
        assertThat(store.find(streamed.id())).get().extracting(FailedEvent::payload).isEqualTo("{\"payload\": \"id=3\"}");
        assertThat(store.list("clinic_clinic_other", null)).isEmpty();
        assertThat(store.list(null, Instant.ofEpochMilli(1_700_000_000_000L + 100))).hasSize(2);

        store.failedAgain(Map.of(streamed.id(), "column fee: still too wide"), Instant.parse("2026-11-27T10:00:00Z"));
        store.reprocessed(List.of(snapshotRowA.id()), Instant.parse("2026-11-27T10:00:01Z"));
        FailedEvent stillFailing = store.find(streamed.id()).orElseThrow();
        assertThat(stillFailing.reprocessed()).isFalse();
        assertThat(stillFailing.error()).isEqualTo("column fee: still too wide");
        assertThat(stillFailing.attempts()).isEqualTo(1);
        FailedEvent done = store.find(snapshotRowA.id()).orElseThrow();
        assertThat(done.reprocessedAt()).isEqualTo(Instant.parse("2026-11-27T10:00:01Z"));
        assertThat(store.find(snapshotRowB.id()).orElseThrow().reprocessed()).isFalse();
        assertThat(store.find("clinic_clinic_visits@1-0000000000000000")).isEmpty();
        store.close();
    }
}
