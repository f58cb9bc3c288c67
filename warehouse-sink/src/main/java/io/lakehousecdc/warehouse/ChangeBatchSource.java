package io.lakehousecdc.warehouse;

import java.util.List;
import java.util.Optional;

/** Where batches come from: the completed commits of the raw-zone change log, oldest first. */
public interface ChangeBatchSource {

    /** The completed instants of a lake table after {@code instant}, oldest first. */
    List<String> instantsAfter(String lakeTable, String instant);

    /** The changes one instant wrote. */
    ChangeBatch read(String lakeTable, String instant);

    /**
     * Every change the table holds up to its newest instant, as one batch at that instant: where
     * a model without history starts. Empty while the table has no commit.
     */
    Optional<ChangeBatch> readHistory(String lakeTable);
}
