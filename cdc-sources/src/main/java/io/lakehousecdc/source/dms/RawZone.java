package io.lakehousecdc.source.dms;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/** Where DMS writes its files: a local directory or an S3 prefix. Read-only: nothing is moved or deleted. */
interface RawZone extends AutoCloseable {

    /** Every file below {@code relativeDir}, as paths relative to the zone's root, in no particular order. */
    List<String> list(String relativeDir) throws IOException;

    InputStream open(String relativePath) throws IOException;

    @Override
    void close();
}
