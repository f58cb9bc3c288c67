package io.lakehousecdc.warehouse;

import java.util.List;

/** Where batches come from: the completed commits of the raw-zone change log, oldest first. */
public interface ChangeBatchSource {

    /** The completed instants of a lake table after {@code instant} (all of them when null), oldest first. */
    List<String> instantsAfter(String lakeTable, String instant);

    /** The changes one instant wrote. */
    ChangeBatch read(String lakeTable, String instant);
}
