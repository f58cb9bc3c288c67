package io.lakehousecdc.source;

import io.lakehousecdc.core.TimeZonePolicy;

import org.apache.flink.table.data.TimestampData;

import java.time.OffsetDateTime;

/**
 * Reads the ISO-8601 instants Debezium writes for zoned timestamps
 * ({@code 2024-05-01T17:30:00.123456Z}, {@code ...+07:00}) without going through
 * {@code DateTimeFormatter}, which costs microseconds per value. Anything unusual
 * (years beyond 9999, odd offsets) takes the slow, general path.
 */
public final class IsoTimestamps {

    private IsoTimestamps() {}

    public static TimestampData instantToTarget(String text, TimeZonePolicy zones) {
        int length = text.length();
        if (length < 20 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
                || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return slow(text, zones);
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 7);
        int day = digits(text, 8, 10);
        int hour = digits(text, 11, 13);
        int minute = digits(text, 14, 16);
        int second = digits(text, 17, 19);
        if ((year | month | day | hour | minute | second) < 0) {
            return slow(text, zones);
        }
        int i = 19;
        int nanos = 0;
        if (text.charAt(i) == '.') {
            int scale = 100_000_000;
            i++;
            while (i < length && Character.isDigit(text.charAt(i))) {
                nanos += (text.charAt(i) - '0') * scale;
                scale /= 10;
                i++;
            }
        }
        int offsetSeconds;
        if (i == length - 1 && text.charAt(i) == 'Z') {
            offsetSeconds = 0;
        } else if (i == length - 6 && (text.charAt(i) == '+' || text.charAt(i) == '-') && text.charAt(i + 3) == ':') {
            int hours = digits(text, i + 1, i + 3);
            int minutes = digits(text, i + 4, i + 6);
            if ((hours | minutes) < 0) {
                return slow(text, zones);
            }
            offsetSeconds = (hours * 3600 + minutes * 60) * (text.charAt(i) == '-' ? -1 : 1);
        } else {
            return slow(text, zones);
        }
        long epochSecond = epochDay(year, month, day) * 86_400L + hour * 3600L + minute * 60L + second - offsetSeconds;
        return zones.instantToTarget(epochSecond, nanos);
    }

    private static TimestampData slow(String text, TimeZonePolicy zones) {
        OffsetDateTime parsed = OffsetDateTime.parse(text);
        return zones.instantToTarget(parsed.toEpochSecond(), parsed.getNano());
    }

    /** The decimal value of text[from, to), or -1 if any character is not a digit. */
    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            int d = text.charAt(i) - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            value = value * 10 + d;
        }
        return value;
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
    private static long epochDay(int year, int month, int day) {
        long y = month <= 2 ? year - 1 : year;
        long era = Math.floorDiv(y, 400);
        long yearOfEra = y - era * 400;
        long dayOfYear = (153L * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097 + dayOfEra - 719_468;
    }
}
