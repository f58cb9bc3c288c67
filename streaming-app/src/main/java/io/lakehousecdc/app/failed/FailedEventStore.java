package io.lakehousecdc.app.failed;

import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the job keeps the changes it could not convert, and where {@code lakehouse failed}
 * finds and marks them. {@link FailedEventStores} picks one from the configuration.
 */
public interface FailedEventStore extends AutoCloseable {

    /** How the job's sink, on any task manager, reaches the store. */
    interface Location extends Serializable {
        FailedEventStore open();
    }

    /** Keeps {@code events} durably before it returns; an event kept before (same id) stays as it was. */
    void append(List<FailedEvent> events);

    /**
     * The events, in source order (position, then id): optionally only those of {@code table}
     * (a lake table name) and those that failed at or after {@code since}.
     */
    List<FailedEvent> list(String table, Instant since);

    default Optional<FailedEvent> find(String id) {
        return list(null, null).stream().filter(e -> e.id().equals(id)).findFirst();
    }

    /** Marks events as written to the lake by a reprocess. */
    void reprocessed(List<String> ids, Instant at);

    /** Records that a reprocess tried events and they failed again, with these errors by id. */
    void failedAgain(Map<String, String> errors, Instant at);

    @Override
    void close();
}
