package io.lakehousecdc.source.dms;

import io.lakehousecdc.core.ChangeOp;
import io.lakehousecdc.core.ChangeRecord;
import io.lakehousecdc.core.TableId;
import io.lakehousecdc.core.TimeZonePolicy;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.data.StringData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DmsRowsTest {

    private static final TimeZonePolicy ZONES = TimeZonePolicy.of(ZoneId.of("UTC"), TimeZonePolicy.WIB);
    private static final TableId VISITS = TableId.mysql("legacy", "clinic", "visits");

    @TempDir
    Path zoneDir;

    private DmsTable table() throws Exception {
        Files.createDirectories(zoneDir.resolve("clinic/visits"));
        Files.writeString(zoneDir.resolve("clinic/visits/_schema.yaml"), """
                key: [id]
                columns:
                  - {name: id, type: BIGINT}
                  - {name: started_at, type: TIMESTAMP(3)}
                  - {name: checked_in, type: TIMESTAMP_LTZ(6)}
                  - name: fee
                    type: DECIMAL(10,2)
                """);
        return DmsTable.read(new LocalRawZone(zoneDir), VISITS, ZONES, "test");
    }

    private static DmsSourceSettings settings(Map<String, String> extra) {
        Configuration conf = new Configuration();
        conf.setString("id", "legacy");
        conf.setString("path", "/unused");
        extra.forEach(conf::setString);
        return DmsSourceSettings.from(conf);
    }

    @Test
    void fullLoadRowsAreSnapshotsOrderedBelowChanges() throws Exception {
        DmsRows rows = new DmsRows(table(), settings(Map.of()), ZONES, "clinic/visits/LOAD00000001.csv");
        ChangeRecord change = rows.toChange(new String[] {"1", "2024-01-01 17:30:00.250", "2024-01-01 16:59:59.123456", "10.50"}, 1, 0);
        assertThat(change.op()).isEqualTo(ChangeOp.SNAPSHOT);
        assertThat(change.row().getTimestamp(1, 3).toLocalDateTime()).isEqualTo(LocalDateTime.parse("2024-01-02T00:30:00.250"));
        assertThat(change.row().getTimestamp(2, 6).toLocalDateTime()).isEqualTo(LocalDateTime.parse("2024-01-01T23:59:59.123456"));
        assertThat(change.row().getLong(6)).isZero();
    }

    @Test
    void changeFilesAreOrderedByTheirNameTimeThenRow() throws Exception {
        DmsTable table = table();
        DmsRows early = new DmsRows(table, settings(Map.of()), ZONES, "clinic/visits/2024/01/02/20240102-101500000.csv");
        DmsRows late = new DmsRows(table, settings(Map.of()), ZONES, "clinic/visits/2024/01/01/20240102-101500001.csv");
        ChangeRecord a = early.toChange(new String[] {"U", "1", "2024-01-01 10:00:00", null, null}, 1, 0);
        ChangeRecord b = early.toChange(new String[] {"D", "1", "2024-01-01 10:00:00", null, null}, 2, 1);
        ChangeRecord c = late.toChange(new String[] {"I", "1", "2024-01-01 10:00:00", null, "1.00"}, 1, 0);
        assertThat(a.op()).isEqualTo(ChangeOp.UPDATE);
        assertThat(b.op()).isEqualTo(ChangeOp.DELETE);
        assertThat(a.row().getLong(6)).isLessThan(b.row().getLong(6));
        assertThat(b.row().getLong(6)).isLessThan(c.row().getLong(6));
        assertThat(a.row().getTimestamp(5, 3).toLocalDateTime()).isEqualTo(LocalDateTime.parse("2024-01-02T17:15:00"));
    }

    @Test
    void changeSeqAndTimestampColumnsOrderChangesWhenPresent() throws Exception {
        DmsRows rows = new DmsRows(table(), settings(Map.of("timestamp-column", "true", "change-seq-column", "true")), ZONES,
                "clinic/visits/20240102-101500000.csv");
        ChangeRecord first = rows.toChange(new String[] {"I", "2024-01-02 10:00:00.000001", "1", null, null, null,
                "20240102100000000000000000000000001"}, 1, 0);
        ChangeRecord second = rows.toChange(new String[] {"U", "2024-01-02 10:00:00.000001", "1", null, null, null,
                "20240102100000000000000000000000002"}, 2, 1);
        assertThat(first.row().getLong(6)).isLessThan(second.row().getLong(6));
        assertThat(first.row().getTimestamp(5, 3).toLocalDateTime()).isEqualTo(LocalDateTime.parse("2024-01-02T17:00:00.000001"));
    }

    @Test
    void aRowThatDoesNotFitNamesFileAndLineAndKeepsThePayload() throws Exception {
        DmsRows rows = new DmsRows(table(), settings(Map.of()), ZONES, "clinic/visits/20240102-101500000.csv");
        ChangeRecord bad = rows.toChange(new String[] {"U", "1", "not a time", null, null}, 7, 3);
        assertThat(bad.isFailed()).isTrue();
        assertThat(bad.failure().error()).startsWith("clinic/visits/20240102-101500000.csv line 7: column started_at");
        assertThat(bad.failure().payload()).isEqualTo("clinic/visits/20240102-101500000.csv:7: U,1,not a time,,");
        assertThat(rows.toChange(new String[] {"U", "1"}, 8, 4).failure().error()).contains("expected 5 fields, found 2");
        assertThat(rows.toChange(new String[] {"X", "1", "2024-01-01 10:00:00", null, null}, 9, 5).failure().error())
                .contains("unknown Op 'X'");
    }

    @Test
    void textDecodesToLakeValues() throws Exception {
        DmsRows rows = new DmsRows(table(), settings(Map.of()), ZONES, "clinic/visits/LOAD00000001.csv");
        ChangeRecord change = rows.toChange(new String[] {"5", "2024-01-01 00:00:00", null, "99999999.99"}, 1, 0);
        assertThat(change.row().getDecimal(3, 10, 2).toBigDecimal()).isEqualByComparingTo("99999999.99");
        assertThat(change.row().isNullAt(2)).isTrue();
        assertThat(change.row().getString(7)).isEqualTo(StringData.fromString("legacy"));
    }
}
