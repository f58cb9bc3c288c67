package io.lakehousecdc.savepoints;

import java.io.IOException;
import java.util.List;

/** The storage a savepoint directory lives on, reduced to what listing and pruning need. */
interface SavepointStore {

    /** How many directory levels below the root are searched for savepoints. */
    int DEPTH = 3;
    String METADATA = "_metadata";

    /** Every directory up to {@link #DEPTH} levels below the root that holds a {@code _metadata}. */
    List<StoredSavepoint> find() throws IOException;

    /** Deletes a savepoint directory with everything in it. */
    void delete(String path) throws IOException;
}
