package io.lakehousecdc.source.dms;

import io.lakehousecdc.core.ChangeOp;
import io.lakehousecdc.core.ChangeRecord;
import io.lakehousecdc.core.FailedChange;
import io.lakehousecdc.core.LakeSchema;
import io.lakehousecdc.core.TimeZonePolicy;

import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.StringData;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the rows of one DMS file into change records.
 *
 * <p>Layout: an {@code Op} column (I, U, D) first in change files, and in full-load files only
 * with IncludeOpForFullLoad; then the commit time when TimestampColumnName is set; then the
 * table's columns; then {@code $AR_H_CHANGE_SEQ} when a transformation adds it. U rows carry the
 * after image, D rows the before image.
 *
 * <p>Ordering ({@code _cdc_seq}): full-load rows get 0, below every change. Changes are ordered
 * by {@code $AR_H_CHANGE_SEQ} when present (its 14-digit UTC timestamp in seconds, then the low
 * 32 bits of its counter), else by commit time in microseconds then row, else by the time in
 * the change file's name in milliseconds then row: DMS names change files by the time it wrote
 * them, and within a file rows are in commit order.
 */
final class DmsRows {
    private static final Pattern FILE_TIME = Pattern.compile("(\\d{8})-(\\d{9})\\.[^/]*$");
    private static final DateTimeFormatter FILE_TIME_FORMAT = DateTimeFormatter.ofPattern("yyyyMMddHHmmssSSS");
    private static final DateTimeFormatter SEQ_TIME_FORMAT = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    private final DmsTable table;
    private final DmsSourceSettings settings;
    private final TimeZonePolicy zones;
    private final String file;
    private final boolean fullLoad;
    private final boolean hasOp;
    private final long fileMillis;
    private final StringData sourceId;

    DmsRows(DmsTable table, DmsSourceSettings settings, TimeZonePolicy zones, String file) {
        this.table = table;
        this.settings = settings;
        this.zones = zones;
        this.file = file;
        this.fullLoad = isFullLoad(file);
        this.hasOp = !fullLoad || settings.opInFullLoad();
        this.fileMillis = fullLoad ? 0 : fileMillis(file);
        this.sourceId = StringData.fromString(settings.id());
    }

    static boolean isFullLoad(String file) {
        return file.substring(file.lastIndexOf('/') + 1).startsWith("LOAD");
    }

    /** Milliseconds since the epoch (UTC) in a change file's name ({@code 20240101-120000123.csv}), or 0. */
    static long fileMillis(String file) {
        Matcher m = FILE_TIME.matcher(file);
        if (!m.find()) {
            return 0;
        }
        return LocalDateTime.parse(m.group(1) + m.group(2), FILE_TIME_FORMAT).toInstant(ZoneOffset.UTC).toEpochMilli();
    }

    /**
     * The change in {@code fields} (text from CSV, values from Parquet), read from {@code line}
     * (CSV) or row (Parquet) of the file; a row that does not fit becomes a failed record.
     */
    ChangeRecord toChange(Object[] fields, int line, int rowInFile) {
        long position = 0;
        try {
            List<FieldConverter> converters = table.converters();
            int expected = (hasOp ? 1 : 0) + (settings.timestampColumn() ? 1 : 0) + converters.size()
                    + (settings.changeSeqColumn() ? 1 : 0);
            if (fields.length != expected) {
                throw new IllegalArgumentException("expected " + expected + " fields, found " + fields.length);
            }
            int i = 0;
            ChangeOp op = hasOp ? op((String) fields[i++]) : ChangeOp.SNAPSHOT;
            if (fullLoad) {
                op = ChangeOp.SNAPSHOT;
            }
            Long commitMicros = null;
            if (settings.timestampColumn()) {
                LocalDateTime utc = FieldConverter.dateTime(fields[i++]);
                commitMicros = utc.toEpochSecond(ZoneOffset.UTC) * 1_000_000 + utc.getNano() / 1000;
            }
            LakeSchema schema = table.schema();
            GenericRowData row = new GenericRowData(schema.arity());
            for (int c = 0; c < converters.size(); c++, i++) {
                Object value = fields[i];
                if (value != null) {
                    try {
                        row.setField(c, converters.get(c).convert(value));
                    } catch (RuntimeException e) {
                        throw new IllegalArgumentException("column " + schema.rowType().getFieldNames().get(c) + ": " + e.getMessage(), e);
                    }
                }
            }
            if (!fullLoad) {
                position = settings.changeSeqColumn() ? changeSeq(String.valueOf(fields[i]))
                        : commitMicros != null ? commitMicros << 12 | (rowInFile & 0xFFF)
                        : fileMillis << 20 | Math.min(rowInFile, (1 << 20) - 1);
            }
            long now = System.currentTimeMillis();
            int meta = schema.metadataOffset();
            row.setField(meta, op.codeData());
            row.setField(meta + 1, commitMicros != null ? zones.instantMicrosToTarget(commitMicros)
                    : zones.instantMillisToTarget(fileMillis == 0 ? now : fileMillis));
            row.setField(meta + 2, position);
            row.setField(meta + 3, sourceId);
            row.setField(meta + 4, zones.instantMillisToTarget(now));
            return ChangeRecord.converted(table.id(), op, row);
        } catch (RuntimeException e) {
            String error = file + " line " + line + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            String payload = file + ":" + line + ": "
                    + String.join(",", Arrays.stream(fields).map(f -> f == null ? "" : f.toString()).toList());
            return ChangeRecord.failed(table.id(), new FailedChange(position, payload, file + ":" + line, error,
                    System.currentTimeMillis()));
        }
    }

    private static ChangeOp op(String code) {
        if (code == null) {
            throw new IllegalArgumentException("the Op column is empty");
        }
        switch (code) {
            case "I":
                return ChangeOp.INSERT;
            case "U":
                return ChangeOp.UPDATE;
            case "D":
                return ChangeOp.DELETE;
            default:
                throw new IllegalArgumentException("unknown Op '" + code + "'");
        }
    }

    /** {@code $AR_H_CHANGE_SEQ}: a 14-digit UTC timestamp and a counter, as one sortable long. */
    static long changeSeq(String text) {
        if (text == null || text.length() < 15 || !text.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("'" + text + "' is not an $AR_H_CHANGE_SEQ value");
        }
        long seconds;
        try {
            seconds = LocalDateTime.parse(text.substring(0, 14), SEQ_TIME_FORMAT).toEpochSecond(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' does not start with a yyyyMMddHHmmss timestamp");
        }
        String counter = text.substring(Math.max(14, text.length() - 18));
        return seconds << 32 | (Long.parseLong(counter) & 0xFFFF_FFFFL);
    }
}
