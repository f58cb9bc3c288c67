package io.lakehousecdc.source;

import io.lakehousecdc.core.TimeZonePolicy;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;

class IsoTimestampsTest {

    private final TimeZonePolicy zones = TimeZonePolicy.of(ZoneId.of("UTC"), TimeZonePolicy.WIB);

    @Test
    void isoInstantsParseLikeJavaTime() {
        java.util.Random random = new java.util.Random(1);
        for (int i = 0; i < 20_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextInt(2_000_000_000) * (random.nextBoolean() ? 1L : -1L) / 2,
                    random.nextInt(1_000_000) * 1000L);
            String text = instant.toString();
            assertThat(IsoTimestamps.instantToTarget(text, zones).toLocalDateTime()).as(text)
                    .isEqualTo(LocalDateTime.ofInstant(instant, TimeZonePolicy.WIB));
        }
        assertThat(IsoTimestamps.instantToTarget("2024-05-01T20:15:30+02:00", zones).toLocalDateTime())
                .isEqualTo(LocalDateTime.parse("2024-05-02T01:15:30"));
    }
}
