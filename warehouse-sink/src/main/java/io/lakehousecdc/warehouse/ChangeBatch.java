package io.lakehousecdc.warehouse;

import java.util.Comparator;
import java.util.List;

/**
 * The changes one lake commit (Hudi instant) brought to one lake table, in source order.
 *
 * @param lakeTable {@code <source>_<database>_<table>}
 * @param instant the Hudi instant time, {@code yyyyMMddHHmmssSSS}
 */
public record ChangeBatch(String lakeTable, String instant, List<ChangeRow> rows) {

    public ChangeBatch {
        if (!instant.matches("\\d{8,20}")) {
            throw new IllegalArgumentException("Instant '" + instant + "' of " + lakeTable + " is not a Hudi instant time");
        }
        rows = rows.stream().sorted(Comparator.comparingLong(ChangeRow::seq)).toList();
    }

    /** Whether instant {@code a} is later than {@code b}; Hudi instant times order as numbers. */
    public static boolean isAfter(String a, String b) {
        return a.length() != b.length() ? a.length() > b.length() : a.compareTo(b) > 0;
    }
}
