package io.lakehousecdc.source.mysql;

import io.lakehousecdc.source.ChangeDeserializer;

import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Struct;

/**
 * Encodes a binlog position as one sortable {@code long}:
 * {@code fileIndex << 32 | (eventPosition + rowInEvent)}. A rows event is longer in bytes than
 * the number of rows it holds, so position + row index stays below the next event's position:
 * the value increases strictly with every row change, within a file and across files.
 */
final class BinlogPositions implements ChangeDeserializer.Positions {
    private static final long serialVersionUID = 1L;

    private transient String lastFile;
    private transient long lastFileIndex;

    @Override
    public long of(Struct source) {
        String file = source.getString("file");
        Long pos = source.getInt64("pos");
        Integer row = source.getInt32("row");
        if (file == null || file.isEmpty() || pos == null) {
            return 0L;
        }
        if (!file.equals(lastFile)) {
            lastFileIndex = fileIndex(file);
            lastFile = file;
        }
        return encode(lastFileIndex, pos, row == null ? 0 : row);
    }

    @Override
    public String tableName(Struct source) {
        return source.getString("db") + "." + source.getString("table");
    }

    static long encode(long fileIndex, long eventPosition, int rowInEvent) {
        long offset = eventPosition + rowInEvent;
        if (offset < 0 || offset >= 1L << 32 || fileIndex < 0 || fileIndex >= 1L << 31) {
            throw new IllegalArgumentException("binlog position " + fileIndex + "/" + eventPosition + "/" + rowInEvent
                    + " is outside the encodable range");
        }
        return fileIndex << 32 | offset;
    }

    static long encode(String file, long eventPosition, int rowInEvent) {
        return encode(fileIndex(file), eventPosition, rowInEvent);
    }

    /** The numeric suffix of a binlog file name: 3 for {@code mysql-bin.000003}. */
    static long fileIndex(String file) {
        return Long.parseLong(file.substring(file.lastIndexOf('.') + 1));
    }
}
