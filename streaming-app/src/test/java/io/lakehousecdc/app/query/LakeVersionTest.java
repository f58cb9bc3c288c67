package io.lakehousecdc.app.query;

import io.lakehousecdc.core.SetupException;
import io.lakehousecdc.core.TimeZonePolicy;
import io.lakehousecdc.lake.LakeCatalog;
import io.lakehousecdc.lake.LakeCatalog.Commit;
import io.lakehousecdc.lake.LakeCatalog.ReadWindow;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How --as-of, --since and --until name a version of one table, against its commit list. */
class LakeVersionTest {

    private static final Instant NOW = Instant.parse("2026-11-27T06:00:00Z");
    // Completed at 10:00:05 and 10:00:15 WIB.
    private static final List<Commit> COMMITS = List.of(
            commit("20261127030000000", "2026-11-27T03:00:05Z"),
            commit("20261127030010000", "2026-11-27T03:00:15Z"));

    @Test
    void aTimeNamesTheLatestCommitCompletedAtOrBeforeItInTheLakeZone() {
        assertThat(window(null, "2026-11-27T10:00:05", null).upTo()).isNull();
        assertThat(window("2026-11-27T10:00:05", null, null).upTo()).isEqualTo("20261127030000000");
        assertThat(window("2026-11-27T10:00:14.999", null, null).upTo()).isEqualTo("20261127030000000");
        assertThat(window("2026-11-27 10:00:15", null, null).upTo()).isEqualTo("20261127030010000");
        assertThat(window("2026-11-27T10:00:04", null, null).upTo()).isEqualTo(LakeCatalog.BEFORE_FIRST_COMMIT);
        assertThat(window(null, "2026-11-27T09:00", "2026-11-27T10:00:10"))
                .isEqualTo(new ReadWindow(LakeCatalog.BEFORE_FIRST_COMMIT, "20261127030000000"));
    }

    @Test
    void anInstantNeedNotBeACommitButMustNotBeAfterTheNewest() {
        assertThat(window("20261127030005000", null, null).upTo()).isEqualTo("20261127030005000");
        assertThat(window(null, "20261127030000000", null)).isEqualTo(new ReadWindow("20261127030000000", null));
        assertThatThrownBy(() -> window("20261127030010001", null, null)).isInstanceOf(SetupException.class)
                .hasMessage("--as-of 20261127030010001 is after the newest commit of t, 20261127030010000:"
                        + " pick an instant from lakehouse query --commits t");
    }

    @Test
    void versionsOlderThanTheOldestKeptAreRefusedButChangesSinceThemAreNot() {
        LakeVersion asOf = LakeVersion.of("20261127030000000", null, null, TimeZonePolicy.WIB);
        assertThatThrownBy(() -> asOf.window("t", COMMITS, () -> Optional.of("20261127030010000"), NOW))
                .hasMessage("--as-of 20261127030000000 is older than the oldest version of t still kept, 20261127030010000"
                        + " (older file versions are cleaned): give --as-of 20261127030010000 or later");
        LakeVersion since = LakeVersion.of(null, "20261127030000000", null, TimeZonePolicy.WIB);
        assertThat(since.window("t", COMMITS, () -> {
            throw new AssertionError("a read of the newest version needs no retention check");
        }, NOW)).isEqualTo(new ReadWindow("20261127030000000", null));
    }

    @Test
    void badValuesAndCombinationsAreRefusedWithTheirFix() {
        assertThatThrownBy(() -> LakeVersion.of("20261399000000000", null, null, TimeZonePolicy.WIB))
                .hasMessageStartingWith("--as-of '20261399000000000' is neither a commit instant (17 digits");
        assertThatThrownBy(() -> LakeVersion.of("last week", null, null, TimeZonePolicy.WIB))
                .hasMessageEndingWith("nor a time in Asia/Jakarta (e.g. 2026-11-27T10:15:00): fix --as-of");
        assertThatThrownBy(() -> LakeVersion.of("20261127030000000", "20261127030000000", null, TimeZonePolicy.WIB))
                .hasMessageStartingWith("--as-of reads whole tables");
        assertThatThrownBy(() -> LakeVersion.of(null, null, "20261127030000000", TimeZonePolicy.WIB))
                .hasMessageStartingWith("--until needs --since");
        assertThatThrownBy(() -> window(null, "20261127030010000", "20261127030000000"))
                .hasMessage("--until 20261127030000000 comes before --since 20261127030010000 for table t:"
                        + " give an --until at or after --since");
        assertThatThrownBy(() -> window("2026-11-27T13:00:01", null, null))
                .hasMessage("--as-of 2026-11-27T13:00:01 is in the future: give a time up to now");
    }

    private static ReadWindow window(String asOf, String since, String until) {
        return LakeVersion.of(asOf, since, until, TimeZonePolicy.WIB).window("t", COMMITS, Optional::empty, NOW);
    }

    private static Commit commit(String instant, String completedAt) {
        return new Commit(instant, "deltacommit", Instant.parse(completedAt).minusSeconds(5), Instant.parse(completedAt), 1, 0, 0);
    }
}
