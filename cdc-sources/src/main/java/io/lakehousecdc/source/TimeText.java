package io.lakehousecdc.source;

/** Times of day finer than the lake's time type, kept exactly as text. */
public final class TimeText {

    private TimeText() {}

    /** {@code [-]HH:MM:SS.ffffff} for a signed count of microseconds; hours may exceed 24. */
    public static String ofMicros(long micros) {
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
        pad(out, micros / 1_000_000L % 60, 2).append('.');
        return pad(out, micros % 1_000_000L, 6).toString();
    }

    private static StringBuilder pad(StringBuilder out, long value, int width) {
        String digits = Long.toString(value);
        for (int i = digits.length(); i < width; i++) {
            out.append('0');
        }
        return out.append(digits);
    }
}
