package io.lakehousecdc.source;

import io.lakehousecdc.core.SetupException;
import io.lakehousecdc.core.TimeZonePolicy;

import org.apache.flink.table.data.TimestampData;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Locale;

/**
 * What becomes of a date or timestamp outside the lake's range, 0000-01-01 to 9999-12-31
 * (Flink's {@code DATE}; a query over a value beyond fails as a whole), PostgreSQL's
 * {@code ±infinity} included. A source's {@code out-of-range-dates} chooses.
 */
public enum OutOfRangeDates {
    /**
     * The change becomes a failed event, so nothing is shifted unasked. Timestamps beyond the
     * range but within what Hudi can store (about 292,000 years) are kept as they are.
     */
    FAILED_EVENT,
    /**
     * The value lands as the nearest bound: 0000-01-01 (00:00:00) or 9999-12-31
     * (23:59:59.999999), the usual stand-ins for an open start or end.
     */
    CLAMP;

    private static final int MIN_EPOCH_DAY = (int) LocalDate.of(0, 1, 1).toEpochDay();
    private static final int MAX_EPOCH_DAY = (int) LocalDate.of(9999, 12, 31).toEpochDay();
    private static final LocalDateTime MIN_TIME = LocalDate.of(0, 1, 1).atStartOfDay();
    private static final LocalDateTime MAX_TIME = LocalDate.of(9999, 12, 31).atTime(23, 59, 59, 999_999_000);
    private static final long MIN_MICROS = MIN_TIME.toEpochSecond(ZoneOffset.UTC) * 1_000_000;
    private static final long MAX_MICROS = MAX_TIME.toEpochSecond(ZoneOffset.UTC) * 1_000_000 + 999_999;
    /** Hudi writes microseconds since the epoch as a long; beyond this a timestamp would stop the writer. */
    private static final long MAX_STORABLE_MILLIS = Long.MAX_VALUE / 1000 - 1;

    /** Reads a source's {@code out-of-range-dates}: {@code failed-event} or {@code clamp}. */
    public static OutOfRangeDates parse(String value, String sourceId) {
        String normalized = value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        return Arrays.stream(values()).filter(v -> v.name().equals(normalized)).findFirst()
                .orElseThrow(() -> new SetupException("Source " + sourceId + ": out-of-range-dates '" + value
                        + "' is not known; use failed-event (the default) or clamp"));
    }

    /** A date, as days since 1970-01-01. */
    public int epochDay(int epochDay) {
        if (epochDay >= MIN_EPOCH_DAY && epochDay <= MAX_EPOCH_DAY) {
            return epochDay;
        }
        if (this == CLAMP) {
            return epochDay < MIN_EPOCH_DAY ? MIN_EPOCH_DAY : MAX_EPOCH_DAY;
        }
        throw new IllegalArgumentException("date " + epochDay + " days from 1970-01-01 is outside 0000-01-01..9999-12-31");
    }

    /**
     * A wall-clock timestamp in microseconds since 1970-01-01T00:00, before it is moved to the
     * target zone: clamped first so that the move cannot overflow.
     */
    long wallClockMicros(long micros) {
        return this == CLAMP ? Math.max(MIN_MICROS, Math.min(MAX_MICROS, micros)) : micros;
    }

    /** A wall-clock timestamp in milliseconds; see {@link #wallClockMicros}. */
    long wallClockMillis(long millis) {
        return this == CLAMP ? Math.max(MIN_MICROS / 1000, Math.min(MAX_MICROS / 1000, millis)) : millis;
    }

    /** A timestamp in the target zone, as the lake will store it. */
    TimestampData timestamp(TimestampData t) {
        if (this == CLAMP) {
            LocalDateTime time = t.toLocalDateTime();
            if (time.isBefore(MIN_TIME)) {
                return TimestampData.fromLocalDateTime(MIN_TIME);
            }
            return time.isAfter(MAX_TIME) ? TimestampData.fromLocalDateTime(MAX_TIME) : t;
        }
        long millis = t.getMillisecond();
        if (millis > MAX_STORABLE_MILLIS || millis < -MAX_STORABLE_MILLIS) {
            throw new IllegalArgumentException("timestamp " + millis + "ms since 1970 is beyond the lake's range (infinity?)");
        }
        return t;
    }

    /** An ISO-8601 instant as Debezium writes zoned timestamps, {@code infinity} and {@code -infinity} included. */
    TimestampData isoInstant(String text, TimeZonePolicy zones) {
        if (this == CLAMP && text.endsWith("infinity")) {
            return TimestampData.fromLocalDateTime(text.startsWith("-") ? MIN_TIME : MAX_TIME);
        }
        return timestamp(IsoTimestamps.instantToTarget(text, zones));
    }
}
