package io.lakehousecdc.source.dms;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads CSV as DMS writes it (RFC 4180, no header): fields separated by commas, quoted with
 * {@code "} when they hold a comma, quote or line break, quotes doubled inside. An empty
 * unquoted field is NULL; {@code ""} is the empty string.
 */
final class CsvRecords implements DmsRecords {
    private final Reader in;
    private int line = 1;
    private int recordLine;
    private int peeked = -2;

    CsvRecords(Reader in) {
        this.in = in;
    }

    /** The line the last record returned by {@link #next()} started on, counting from 1. */
    @Override
    public int position() {
        return recordLine;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** The next record's fields, or null at the end of the input. */
    @Override
    public String[] next() throws IOException {
        int c = read();
        while (c == '\r' || c == '\n') {
            c = read();
        }
        if (c == -1) {
            return null;
        }
        recordLine = line;
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        while (true) {
            if (quoted) {
                if (c == -1) {
                    throw new IOException("line " + recordLine + ": a quoted field is not closed");
                }
                if (c == '"') {
                    int after = read();
                    if (after == '"') {
                        field.append('"');
                    } else {
                        quoted = false;
                        c = after;
                        continue;
                    }
                } else {
                    field.append((char) c);
                }
            } else if (c == '"' && field.length() == 0 && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
            } else if (c == ',' || c == '\n' || c == '\r' || c == -1) {
                fields.add(field.length() == 0 && !wasQuoted ? null : field.toString());
                field.setLength(0);
                wasQuoted = false;
                if (c != ',') {
                    if (c == '\r') {
                        int after = read();
                        if (after != '\n') {
                            unread(after);
                        }
                    }
                    return fields.toArray(new String[0]);
                }
            } else {
                field.append((char) c);
            }
            c = read();
        }
    }

    private int read() throws IOException {
        int c;
        if (peeked != -2) {
            c = peeked;
            peeked = -2;
        } else {
            c = in.read();
        }
        if (c == '\n') {
            line++;
        }
        return c;
    }

    private void unread(int c) {
        if (c == '\n') {
            line--;
        }
        peeked = c;
    }
}
