package io.lakehousecdc.source.postgres;

import io.lakehousecdc.core.TimeZonePolicy;
import io.lakehousecdc.source.LakeColumn;
import io.lakehousecdc.source.OutOfRangeDates;

import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Schema;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Struct;
import org.apache.flink.table.data.ArrayData;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.ArrayType;
import org.apache.flink.table.types.logical.BigIntType;
import org.apache.flink.table.types.logical.DecimalType;
import org.apache.flink.table.types.logical.IntType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.TimestampType;
import org.apache.flink.table.types.logical.VarCharType;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PostgresTypeMappingTest {

    private final TimeZonePolicy zones = TimeZonePolicy.of(ZoneId.of("UTC"), TimeZonePolicy.WIB);

    private LakeColumn map(String type, int precision, int scale, int fsp) {
        return PostgresTypeMapping.map(new PostgresColumn("c", type, false, false, precision, scale, fsp, true), zones,
                OutOfRangeDates.FAILED_EVENT);
    }

    private LakeColumn map(String type, int fsp, OutOfRangeDates outOfRange) {
        return PostgresTypeMapping.map(new PostgresColumn("c", type, false, false, 0, 0, fsp, true), zones, outOfRange);
    }

    private LogicalType type(String type) {
        return map(type, 0, 0, 6).type();
    }

    @Test
    void integersAndTextTypes() {
        assertThat(type("int4")).isEqualTo(new IntType());
        assertThat(type("int8")).isEqualTo(new BigIntType());
        for (String text : List.of("text", "varchar", "bpchar", "uuid", "json", "jsonb", "inet")) {
            assertThat(type(text)).as(text).isEqualTo(new VarCharType(VarCharType.MAX_LENGTH));
        }
        assertThat(PostgresTypeMapping.map(new PostgresColumn("c", "rx_status", false, true, 0, 0, 0, true), zones, OutOfRangeDates.FAILED_EVENT).type())
                .isEqualTo(new VarCharType(VarCharType.MAX_LENGTH));
    }

    @Test
    void numericWithScaleIsDecimalAndWithoutIsExactText() {
        LakeColumn scaled = map("numeric", 8, 2, 0);
        assertThat(scaled.type()).isEqualTo(new DecimalType(38, 2));
        assertThat(scaled.converter().convert(new BigDecimal("123456.78")))
                .isEqualTo(DecimalData.fromBigDecimal(new BigDecimal("123456.78"), 38, 2));

        LakeColumn free = map("numeric", 0, 0, 0);
        assertThat(free.type()).isEqualTo(new VarCharType(VarCharType.MAX_LENGTH));
        Schema variable = SchemaBuilder.struct().name("io.debezium.data.VariableScaleDecimal")
                .field("scale", Schema.INT32_SCHEMA).field("value", Schema.BYTES_SCHEMA).build();
        BigDecimal big = new BigDecimal("12345678901234567890.123456789");
        Struct value = new Struct(variable).put("scale", big.scale())
                .put("value", ByteBuffer.wrap(big.unscaledValue().toByteArray()));
        assertThat(free.converter().convert(value)).isEqualTo(StringData.fromString("12345678901234567890.123456789"));
        assertThat(new BigInteger(big.unscaledValue().toByteArray())).isEqualTo(big.unscaledValue());
    }

    @Test
    void datesBeyondTheLakesRangeFailUnlessClamped() {
        int afterLastDay = (int) LocalDate.of(10000, 1, 1).toEpochDay();
        assertThatThrownBy(() -> map("date", 0, OutOfRangeDates.FAILED_EVENT).converter().convert(afterLastDay))
                .hasMessageContaining("outside 0000-01-01..9999-12-31");
        assertThat(map("date", 0, OutOfRangeDates.CLAMP).converter().convert(afterLastDay))
                .isEqualTo((int) LocalDate.of(9999, 12, 31).toEpochDay());
        assertThat(map("date", 0, OutOfRangeDates.CLAMP).converter().convert(Integer.MIN_VALUE))
                .isEqualTo((int) LocalDate.of(0, 1, 1).toEpochDay());
        // 'infinity' arrives as an overflowed negative count (snapshot, WAL), '-infinity' as another.
        for (int infinity : new int[] {-622_191_234, -2_147_472_692}) {
            assertThat(map("date", 0, OutOfRangeDates.CLAMP).converter().convert(infinity))
                    .isEqualTo((int) LocalDate.of(9999, 12, 31).toEpochDay());
        }
        assertThat(map("date", 0, OutOfRangeDates.CLAMP).converter().convert(-625_821_272))
                .isEqualTo((int) LocalDate.of(0, 1, 1).toEpochDay());

        // PostgreSQL's infinity as the JDBC driver and Debezium hand it over: milliseconds far beyond any year.
        long infinityMicros = 9223372036825200000L;
        assertThatThrownBy(() -> map("timestamp", 6, OutOfRangeDates.FAILED_EVENT).converter().convert(infinityMicros))
                .isInstanceOf(RuntimeException.class);
        LocalDateTime lastMoment = LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_000);
        assertThat(((TimestampData) map("timestamp", 6, OutOfRangeDates.CLAMP).converter().convert(infinityMicros)).toLocalDateTime())
                .isEqualTo(lastMoment);
        // Clamped before the move to WIB (Jakarta's local mean time in year 0, +07:07:12) and after it.
        assertThat(((TimestampData) map("timestamp", 3, OutOfRangeDates.CLAMP).converter().convert(-infinityMicros)).toLocalDateTime())
                .isEqualTo(LocalDateTime.of(0, 1, 1, 7, 7, 12));
        assertThat(((TimestampData) map("timestamptz", 6, OutOfRangeDates.CLAMP).converter().convert("infinity")).toLocalDateTime())
                .isEqualTo(lastMoment);
        assertThat(((TimestampData) map("timestamptz", 6, OutOfRangeDates.CLAMP).converter().convert("-infinity")).toLocalDateTime())
                .isEqualTo(LocalDateTime.of(0, 1, 1, 0, 0));
        assertThat(((TimestampData) map("timestamptz", 6, OutOfRangeDates.CLAMP).converter().convert("2024-01-02T16:00:00.5Z"))
                .toLocalDateTime()).isEqualTo(LocalDateTime.of(2024, 1, 2, 23, 0, 0, 500_000_000));
        assertThatThrownBy(() -> OutOfRangeDates.parse("nearest", "pharmacy"))
                .hasMessage("Source pharmacy: out-of-range-dates 'nearest' is not known; use failed-event (the default) or clamp");
        assertThat(OutOfRangeDates.parse("Failed-Event", "pharmacy")).isEqualTo(OutOfRangeDates.FAILED_EVENT);
    }

    @Test
    void timestampIsWallClockAndTimestamptzAnInstant() {
        LakeColumn timestamp = map("timestamp", 0, 0, 6);
        assertThat(timestamp.type()).isEqualTo(new TimestampType(6));
        long micros = LocalDateTime.parse("2024-01-01T17:30:00.000001").toEpochSecond(ZoneOffset.UTC) * 1_000_000 + 1;
        assertThat(((TimestampData) timestamp.converter().convert(micros)).toLocalDateTime())
                .isEqualTo(LocalDateTime.parse("2024-01-02T00:30:00.000001"));

        LakeColumn zoned = map("timestamptz", 0, 0, 6);
        assertThat(((TimestampData) zoned.converter().convert("2024-01-02T16:00:00.5Z")).toLocalDateTime())
                .isEqualTo(LocalDateTime.parse("2024-01-02T23:00:00.5"));
        assertThat(map("timestamp", 0, 0, 3).type()).isEqualTo(new TimestampType(3));
    }

    @Test
    void timestampsBeyondWhatTheLakeStoresAreErrors() {
        assertThatThrownBy(() -> map("timestamp", 0, 0, 6).converter().convert(Long.MAX_VALUE))
                .hasMessageContaining("beyond the lake's range");
        assertThatThrownBy(() -> map("timestamp", 0, 0, 3).converter().convert(9_223_372_036_825_200_000L))
                .hasMessageContaining("beyond the lake's range");
    }

    @Test
    void arraysConvertEachElementAndKeepNulls() {
        LakeColumn ints = PostgresTypeMapping.map(
                new PostgresColumn("c", "int4", true, false, 0, 0, 0, true), zones, OutOfRangeDates.FAILED_EVENT);
        assertThat(ints.type()).isEqualTo(new ArrayType(new IntType()));
        ArrayData array = (ArrayData) ints.converter().convert(Arrays.asList(1, null, 3));
        assertThat(array.size()).isEqualTo(3);
        assertThat(array.getInt(0)).isEqualTo(1);
        assertThat(array.isNullAt(1)).isTrue();
        assertThat(array.getInt(2)).isEqualTo(3);
    }

    @Test
    void timeIsTextWithTheColumnsFractionDigitsUpTo24Hours() {
        assertThat(map("time", 0, 0, 6).type()).isEqualTo(new VarCharType(VarCharType.MAX_LENGTH));
        assertThat(map("time", 0, 0, 6).converter().convert(45_296_000_001L)).isEqualTo(StringData.fromString("12:34:56.000001"));
        assertThat(map("time", 0, 0, 3).converter().convert(45_296_001_000L)).isEqualTo(StringData.fromString("12:34:56.001"));
        assertThat(map("time", 0, 0, 0).converter().convert(86_400_000_000L)).isEqualTo(StringData.fromString("24:00:00"));
    }

    @Test
    void intervalAndTimeWithZoneAreDebeziumsText() {
        assertThat(map("interval", 0, 0, 6).converter().convert("P1Y2M-3DT4H5M6.000007S"))
                .isEqualTo(StringData.fromString("P1Y2M-3DT4H5M6.000007S"));
        assertThat(map("timetz", 0, 0, 6).converter().convert("05:34:56.123456Z")).isEqualTo(StringData.fromString("05:34:56.123456Z"));
    }

    @Test
    void unknownTypesAreNamed() {
        assertThatThrownBy(() -> type("tsvector")).hasMessageContaining("tsvector");
        assertThatThrownBy(() -> type("money")).hasMessageContaining("numeric(19,2)");
    }
}
