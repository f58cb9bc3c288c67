package io.lakehousecdc.source.dms;

import java.io.IOException;

/** The rows of one DMS file, in file order. */
interface DmsRecords extends AutoCloseable {

    /** The next row's fields (text from CSV, values from Parquet; null for NULL), or null at the end. */
    Object[] next() throws IOException;

    /** Where the last row returned starts: its line in a CSV file, its row number in a Parquet file. */
    int position();

    @Override
    void close() throws IOException;
}
