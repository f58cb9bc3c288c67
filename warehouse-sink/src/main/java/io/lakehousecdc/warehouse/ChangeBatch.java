package io.lakehousecdc.warehouse;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;

/**
 * The changes one lake commit (Hudi instant) brought to one lake table, in source order.
 *
 * @param lakeTable {@code <source>_<database>_<table>}
 * @param instant the Hudi instant time, {@code yyyyMMddHHmmssSSS}
 */
public record ChangeBatch(String lakeTable, String instant, List<ChangeRow> rows) {

    private static final DateTimeFormatter INSTANT_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmssSSS");

    public ChangeBatch {
        if (!instant.matches("\\d{8,20}")) {
            throw new IllegalArgumentException("Instant '" + instant + "' of " + lakeTable + " is not a Hudi instant time");
        }
        rows = rows.stream().sorted(Comparator.comparingLong(ChangeRow::seq)).toList();
    }

    /**
     * The time from instant {@code from} to instant {@code to}, both read as the times they name
     * ({@code yyyyMMddHHmmss} and, in newer tables, milliseconds); zero when either is not one.
     */
    public static Duration timeBetween(String from, String to) {
        try {
            return Duration.between(parse(from), parse(to));
        } catch (DateTimeParseException e) {
            return Duration.ZERO;
        }
    }

    private static LocalDateTime parse(String instant) {
        String padded = (instant + "000").substring(0, Math.max(17, instant.length()));
        return LocalDateTime.parse(padded.substring(0, 17), INSTANT_TIME);
    }

    /** Whether instant {@code a} is later than {@code b}; Hudi instant times order as numbers. */
    public static boolean isAfter(String a, String b) {
        return a.length() != b.length() ? a.length() > b.length() : a.compareTo(b) > 0;
    }
}
