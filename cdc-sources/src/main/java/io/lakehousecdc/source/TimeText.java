package io.lakehousecdc.source;

/**
 * Times of day and durations as text: the lake's time type holds neither more than milliseconds
 * nor values outside 00:00-24:00, which MySQL {@code TIME} and PostgreSQL {@code time} both allow.
 */
public final class TimeText {

    private static final long[] POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000};

    private TimeText() {}

    /**
     * {@code [-]HH:MM:SS[.f...]} with exactly {@code fractionalDigits} (0-6) fraction digits, as
     * MySQL prints a {@code TIME(fractionalDigits)}; hours may exceed 24 and have three digits.
     *
     * @throws IllegalArgumentException when the value has more fraction digits than the column,
     *     instead of dropping them
     */
    public static String ofMicros(long micros, int fractionalDigits) {
        long dropped = POWERS_OF_TEN[6 - fractionalDigits];
        if (micros % dropped != 0) {
            throw new IllegalArgumentException("time value " + micros + "us has more than " + fractionalDigits + " fraction digits");
        }
        StringBuilder out = new StringBuilder(16);
        if (micros < 0) {
            out.append('-');
            micros = -micros;
        }
        long hours = micros / 3_600_000_000L;
        if (hours < 10) {
            out.append('0');
        }
        out.append(hours).append(':');
        pad(out, micros / 60_000_000L % 60, 2).append(':');
        pad(out, micros / 1_000_000L % 60, 2);
        if (fractionalDigits > 0) {
            pad(out.append('.'), micros % 1_000_000L / dropped, fractionalDigits);
        }
        return out.toString();
    }

    private static StringBuilder pad(StringBuilder out, long value, int width) {
        String digits = Long.toString(value);
        for (int i = digits.length(); i < width; i++) {
            out.append('0');
        }
        return out.append(digits);
    }
}
