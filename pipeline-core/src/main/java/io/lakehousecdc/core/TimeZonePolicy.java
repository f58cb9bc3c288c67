package io.lakehousecdc.core;

import org.apache.flink.table.data.TimestampData;

import java.io.Serializable;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.List;

/**
 * Turns source time values into wall-clock values of the target zone (WIB by default).
 *
 * <p>Two kinds of source values: instants (MySQL {@code TIMESTAMP}, PostgreSQL {@code timestamptz})
 * are shifted to the target zone; wall-clock values (MySQL {@code DATETIME}, PostgreSQL
 * {@code timestamp}) are first read as local times of the source's declared zone. Results are
 * {@link TimestampData} wall-clock values, which is how Flink and Hudi store {@code TIMESTAMP}.
 * Sub-millisecond precision is kept. A wall-clock value that falls in a daylight-saving gap or
 * overlap of the source zone takes the offset before the transition, as {@code ZonedDateTime} does.
 *
 * <p>Both directions run per record, so the common case of zones without daylight saving (UTC,
 * Asia/Jakarta) is answered from a precomputed offset without allocating.
 */
public final class TimeZonePolicy implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final ZoneId WIB = ZoneId.of("Asia/Jakarta");

    private static final long MICROS_PER_SECOND = 1_000_000L;
    private static final long MILLIS_PER_SECOND = 1_000L;

    private final ZoneId sourceZone;
    private final ZoneId targetZone;
    private transient SteadyOffset source;
    private transient SteadyOffset target;

    private TimeZonePolicy(ZoneId sourceZone, ZoneId targetZone) {
        this.sourceZone = sourceZone;
        this.targetZone = targetZone;
    }

    /**
     * @param sourceZone the zone that the source's wall-clock values are in
     * @param targetZone the zone the lake holds values in
     */
    public static TimeZonePolicy of(ZoneId sourceZone, ZoneId targetZone) {
        return new TimeZonePolicy(sourceZone, targetZone);
    }

    /** An instant, given as epoch seconds and nanos of second, as target wall-clock time. */
    public TimestampData instantToTarget(long epochSecond, int nanoOfSecond) {
        long local = epochSecond + target().offsetAtInstant(epochSecond);
        return TimestampData.fromEpochMillis(
                Math.addExact(Math.multiplyExact(local, MILLIS_PER_SECOND), nanoOfSecond / 1_000_000),
                nanoOfSecond % 1_000_000);
    }

    public TimestampData instantMillisToTarget(long epochMillis) {
        return instantToTarget(Math.floorDiv(epochMillis, MILLIS_PER_SECOND),
                (int) Math.floorMod(epochMillis, MILLIS_PER_SECOND) * 1_000_000);
    }

    public TimestampData instantMicrosToTarget(long epochMicros) {
        return instantToTarget(Math.floorDiv(epochMicros, MICROS_PER_SECOND),
                (int) Math.floorMod(epochMicros, MICROS_PER_SECOND) * 1_000);
    }

    /**
     * A source wall-clock value as target wall-clock time. The value is given the way Debezium
     * and JDBC carry it: the local date-time's fields read as if they were UTC, in seconds + nanos.
     */
    public TimestampData wallClockToTarget(long localEpochSecond, int nanoOfSecond) {
        return instantToTarget(localEpochSecond - source().offsetAtLocal(localEpochSecond, nanoOfSecond), nanoOfSecond);
    }

    public TimestampData wallClockMillisToTarget(long localEpochMillis) {
        return wallClockToTarget(Math.floorDiv(localEpochMillis, MILLIS_PER_SECOND),
                (int) Math.floorMod(localEpochMillis, MILLIS_PER_SECOND) * 1_000_000);
    }

    public TimestampData wallClockMicrosToTarget(long localEpochMicros) {
        return wallClockToTarget(Math.floorDiv(localEpochMicros, MICROS_PER_SECOND),
                (int) Math.floorMod(localEpochMicros, MICROS_PER_SECOND) * 1_000);
    }

    /** The target zone's date-time for a wall-clock value of the source zone. */
    public LocalDateTime wallClockToTarget(LocalDateTime sourceWallClock) {
        return wallClockToTarget(sourceWallClock.toEpochSecond(ZoneOffset.UTC), sourceWallClock.getNano())
                .toLocalDateTime();
    }

    private SteadyOffset source() {
        if (source == null) {
            source = new SteadyOffset(sourceZone);
        }
        return source;
    }

    private SteadyOffset target() {
        if (target == null) {
            target = new SteadyOffset(targetZone);
        }
        return target;
    }

    /**
     * A zone's offset, precomputed for the time after its last transition when it has no
     * recurring (daylight-saving) rules; other times go through {@link ZoneRules}.
     */
    private static final class SteadyOffset {
        private final ZoneRules rules;
        private final long steadySince;
        private final long steadyOffsetSeconds;

        SteadyOffset(ZoneId zone) {
            this.rules = zone.getRules();
            List<ZoneOffsetTransition> transitions = rules.getTransitions();
            if (!rules.getTransitionRules().isEmpty()) {
                steadySince = Long.MAX_VALUE;
                steadyOffsetSeconds = 0;
            } else if (transitions.isEmpty()) {
                steadySince = Long.MIN_VALUE;
                steadyOffsetSeconds = rules.getOffset(Instant.EPOCH).getTotalSeconds();
            } else {
                ZoneOffsetTransition last = transitions.get(transitions.size() - 1);
                // A day of margin keeps local times near the transition on the exact path.
                steadySince = last.toEpochSecond() + 86_400;
                steadyOffsetSeconds = last.getOffsetAfter().getTotalSeconds();
            }
        }

        long offsetAtInstant(long epochSecond) {
            if (epochSecond >= steadySince) {
                return steadyOffsetSeconds;
            }
            return rules.getOffset(Instant.ofEpochSecond(epochSecond)).getTotalSeconds();
        }

        long offsetAtLocal(long localEpochSecond, int nanoOfSecond) {
            if (localEpochSecond >= steadySince) {
                return steadyOffsetSeconds;
            }
            LocalDateTime local = LocalDateTime.ofEpochSecond(localEpochSecond, nanoOfSecond, ZoneOffset.UTC);
            return rules.getValidOffsets(local).isEmpty()
                    ? rules.getTransition(local).getOffsetBefore().getTotalSeconds()
                    : rules.getValidOffsets(local).get(0).getTotalSeconds();
        }
    }
}
