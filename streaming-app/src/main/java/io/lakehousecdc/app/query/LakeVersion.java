package io.lakehousecdc.app.query;

import io.lakehousecdc.core.SetupException;
import io.lakehousecdc.lake.LakeCatalog;
import io.lakehousecdc.lake.LakeCatalog.Commit;
import io.lakehousecdc.lake.LakeCatalog.ReadWindow;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Which version of the lake a query reads: the latest ({@link #LATEST}), each table as of a
 * point ({@code --as-of}), or the rows changed after a point ({@code --since}, up to
 * {@code --until}). A point is a commit instant or a wall-clock time in the lake's zone; each
 * table resolves it against its own commits.
 */
public final class LakeVersion {

    public static final LakeVersion LATEST = new LakeVersion(null, null, null);

    private static final DateTimeFormatter INSTANT = DateTimeFormatter.ofPattern("uuuuMMddHHmmssSSS")
            .withResolverStyle(ResolverStyle.STRICT);

    private final Point asOf;
    private final Point since;
    private final Point until;

    private LakeVersion(Point asOf, Point since, Point until) {
        this.asOf = asOf;
        this.since = since;
        this.until = until;
    }

    /**
     * Parses the options of {@code lakehouse query}; any of them may be null.
     *
     * @param zone the zone of wall-clock times (the lake's, WIB by default)
     * @throws IllegalArgumentException for a combination of options that makes no sense
     */
    public static LakeVersion of(String asOf, String since, String until, ZoneId zone) {
        if (asOf != null && (since != null || until != null)) {
            throw new IllegalArgumentException("--as-of reads whole tables and --since/--until their changes: give one or the other");
        }
        if (until != null && since == null) {
            throw new IllegalArgumentException("--until needs --since; for a whole table as of an instant use --as-of");
        }
        if (asOf == null && since == null) {
            return LATEST;
        }
        return new LakeVersion(Point.parse("--as-of", asOf, zone), Point.parse("--since", since, zone),
                Point.parse("--until", until, zone));
    }

    public boolean isLatest() {
        return asOf == null && since == null;
    }

    /** Whether reading this version needs to know how far back the table can be read. */
    boolean readsThePast() {
        return asOf != null || until != null;
    }

    /**
     * This version of one table.
     *
     * @param commits the table's completed writes, oldest first
     * @param oldestReadable the oldest instant the table can be read as of (see
     *     {@link LakeCatalog#oldestReadableInstant}), asked only when needed
     * @throws SetupException for a point outside the table's readable commits
     */
    ReadWindow window(String table, List<Commit> commits, Supplier<Optional<String>> oldestReadable, Instant now) {
        if (isLatest()) {
            return ReadWindow.LATEST;
        }
        if (asOf != null) {
            return new ReadWindow(null, readable(table, asOf, commits, oldestReadable, now));
        }
        String after = since.resolve(table, commits, now);
        String upTo = until == null ? null : readable(table, until, commits, oldestReadable, now);
        if (upTo != null && upTo.compareTo(after) < 0) {
            throw new SetupException("--until " + until.text + " comes before --since " + since.text + " for table " + table
                    + ": give an --until at or after --since");
        }
        return new ReadWindow(after, upTo);
    }

    private static String readable(String table, Point point, List<Commit> commits, Supplier<Optional<String>> oldestReadable,
            Instant now) {
        String instant = point.resolve(table, commits, now);
        Optional<String> oldest = oldestReadable.get();
        if (oldest.isPresent() && instant.compareTo(oldest.get()) < 0) {
            throw new SetupException(point.option + " " + point.text + " is older than the oldest version of " + table
                    + " still kept, " + oldest.get() + " (older file versions are cleaned): give " + point.option + " "
                    + oldest.get() + " or later");
        }
        return instant;
    }

    /** A commit instant, or a wall-clock time in {@code zone}, given as the value of {@code option}. */
    private record Point(String option, String text, String instant, Instant time) {

        static Point parse(String option, String text, ZoneId zone) {
            if (text == null) {
                return null;
            }
            String value = text.strip();
            if (value.matches("\\d{17}")) {
                try {
                    INSTANT.parse(value);
                    return new Point(option, value, value, null);
                } catch (DateTimeParseException e) {
                    // Seventeen digits that are no date: reported below like any other bad value.
                }
            } else {
                try {
                    return new Point(option, value, null, LocalDateTime.parse(value.replace(' ', 'T')).atZone(zone).toInstant());
                } catch (DateTimeParseException e) {
                    // Reported below.
                }
            }
            throw new IllegalArgumentException(option + " '" + text + "' is neither a commit instant (17 digits, e.g."
                    + " 20261127101500123, see lakehouse query --commits TABLE) nor a time in " + zone
                    + " (e.g. 2026-11-27T10:15:00): fix " + option);
        }

        /**
         * The instant this point names in a table: the instant itself, or for a time the latest
         * commit completed at or before it (or {@link LakeCatalog#BEFORE_FIRST_COMMIT}).
         */
        String resolve(String table, List<Commit> commits, Instant now) {
            if (instant != null) {
                Commit newest = commits.isEmpty() ? null : commits.get(commits.size() - 1);
                if (newest != null && instant.compareTo(newest.instant()) > 0) {
                    throw new SetupException(option + " " + text + " is after the newest commit of " + table + ", "
                            + newest.instant() + ": pick an instant from lakehouse query --commits " + table);
                }
                return instant;
            }
            if (time.isAfter(now)) {
                throw new SetupException(option + " " + text + " is in the future: give a time up to now");
            }
            String latest = LakeCatalog.BEFORE_FIRST_COMMIT;
            for (Commit commit : commits) {
                if (!commit.completedAt().isAfter(time)) {
                    latest = commit.instant();
                }
            }
            return latest;
        }
    }
}
