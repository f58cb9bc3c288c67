package io.lakehousecdc.core;

import org.apache.flink.table.data.TimestampData;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class TimeZonePolicyTest {

    private static final ZoneId UTC = ZoneId.of("UTC");
    private final TimeZonePolicy utcToWib = TimeZonePolicy.of(UTC, TimeZonePolicy.WIB);

    @Test
    void wallClockNearUtcMidnightLandsOnTheNextWibDay() {
        LocalDateTime utc = LocalDateTime.parse("2024-01-01T17:30:00");
        assertThat(utcToWib.wallClockToTarget(utc)).isEqualTo(LocalDateTime.parse("2024-01-02T00:30:00"));
    }

    @Test
    void instantsBecomeWibWallClockWithMicrosecondsKept() {
        Instant instant = Instant.parse("2024-03-10T10:00:00.123456Z");
        TimestampData wib = utcToWib.instantMicrosToTarget(instant.getEpochSecond() * 1_000_000 + 123_456);
        assertThat(wib.toLocalDateTime()).isEqualTo(LocalDateTime.parse("2024-03-10T17:00:00.123456"));
    }

    @Test
    void millisecondPrecisionIsKeptAsIs() {
        long millis = Instant.parse("2024-03-10T23:59:59.999Z").toEpochMilli();
        assertThat(utcToWib.instantMillisToTarget(millis).toLocalDateTime())
                .isEqualTo(LocalDateTime.parse("2024-03-11T06:59:59.999"));
    }

    @Test
    void wallClockOfAnotherDeclaredZoneIsReadInThatZone() {
        TimeZonePolicy tokyo = TimeZonePolicy.of(ZoneId.of("Asia/Tokyo"), TimeZonePolicy.WIB);
        assertThat(tokyo.wallClockToTarget(LocalDateTime.parse("2024-06-01T09:00:00")))
                .isEqualTo(LocalDateTime.parse("2024-06-01T07:00:00"));
    }

    @Test
    void historicJakartaOffsetIsHonoured() {
        // Jakarta was UTC+07:30 until 1964.
        long epochSecond = Instant.parse("1960-01-01T00:00:00Z").getEpochSecond();
        assertThat(utcToWib.instantToTarget(epochSecond, 0).toLocalDateTime())
                .isEqualTo(LocalDateTime.parse("1960-01-01T07:30:00"));
    }

    @Test
    void daylightSavingSourceZonesUseTheOffsetInForceForEachValue() {
        TimeZonePolicy newYork = TimeZonePolicy.of(ZoneId.of("America/New_York"), UTC);
        assertThat(newYork.wallClockToTarget(LocalDateTime.parse("2024-01-15T12:00:00")))
                .isEqualTo(LocalDateTime.parse("2024-01-15T17:00:00"));
        assertThat(newYork.wallClockToTarget(LocalDateTime.parse("2024-07-15T12:00:00")))
                .isEqualTo(LocalDateTime.parse("2024-07-15T16:00:00"));
        // 02:30 does not exist on 2024-03-10; the offset before the gap applies, as in ZonedDateTime.
        assertThat(newYork.wallClockToTarget(LocalDateTime.parse("2024-03-10T02:30:00")))
                .isEqualTo(LocalDateTime.parse("2024-03-10T07:30:00"));
        // 01:30 happens twice on 2024-11-03; the earlier offset applies.
        assertThat(newYork.wallClockToTarget(LocalDateTime.parse("2024-11-03T01:30:00")))
                .isEqualTo(LocalDateTime.parse("2024-11-03T05:30:00"));
    }

    @Test
    void agreesWithJavaTimeOverManyValues() {
        Random random = new Random(42);
        ZoneId[] zones = {UTC, TimeZonePolicy.WIB, ZoneId.of("Europe/Berlin"), ZoneId.of("America/Sao_Paulo")};
        for (int i = 0; i < 20_000; i++) {
            ZoneId source = zones[random.nextInt(zones.length)];
            ZoneId target = zones[random.nextInt(zones.length)];
            long second = -2_000_000_000L + (long) (random.nextDouble() * 6_000_000_000L);
            int nanos = random.nextInt(1_000_000) * 1000;
            TimeZonePolicy policy = TimeZonePolicy.of(source, target);

            LocalDateTime expectedFromInstant = LocalDateTime.ofInstant(Instant.ofEpochSecond(second, nanos), target);
            assertThat(policy.instantToTarget(second, nanos).toLocalDateTime()).isEqualTo(expectedFromInstant);

            LocalDateTime wallClock = LocalDateTime.ofEpochSecond(second, nanos, ZoneOffset.UTC);
            LocalDateTime expectedFromWallClock = wallClock.atZone(source).withZoneSameInstant(target).toLocalDateTime();
            assertThat(policy.wallClockToTarget(second, nanos).toLocalDateTime())
                    .as("%s in %s to %s", wallClock, source, target)
                    .isEqualTo(expectedFromWallClock);
        }
    }
}
