package io.lakehousecdc.source.mysql;

import io.lakehousecdc.core.TimeZonePolicy;
import io.lakehousecdc.source.LakeColumn;
import io.lakehousecdc.source.OutOfRangeDates;

import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Schema;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Struct;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.BigIntType;
import org.apache.flink.table.types.logical.BooleanType;
import org.apache.flink.table.types.logical.DateType;
import org.apache.flink.table.types.logical.DecimalType;
import org.apache.flink.table.types.logical.DoubleType;
import org.apache.flink.table.types.logical.IntType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.SmallIntType;
import org.apache.flink.table.types.logical.TimestampType;
import org.apache.flink.table.types.logical.TinyIntType;
import org.apache.flink.table.types.logical.VarBinaryType;
import org.apache.flink.table.types.logical.VarCharType;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MySqlTypeMappingTest {

    private final TimeZonePolicy zones = TimeZonePolicy.of(ZoneId.of("UTC"), TimeZonePolicy.WIB);

    private LakeColumn map(String dataType, String columnType, long precision, int scale, int fsp) {
        return MySqlTypeMapping.map(new MySqlColumn("c", dataType, columnType, precision, scale, fsp, true), zones, OutOfRangeDates.FAILED_EVENT);
    }

    private LogicalType type(String dataType, String columnType, long precision, int scale, int fsp) {
        return map(dataType, columnType, precision, scale, fsp).type();
    }

    @Test
    void integersWidenWhenUnsigned() {
        assertThat(type("tinyint", "tinyint(4)", 3, 0, 0)).isEqualTo(new TinyIntType());
        assertThat(type("tinyint", "tinyint(3) unsigned", 3, 0, 0)).isEqualTo(new SmallIntType());
        assertThat(type("smallint", "smallint(5) unsigned", 5, 0, 0)).isEqualTo(new IntType());
        assertThat(type("mediumint", "mediumint(8) unsigned", 7, 0, 0)).isEqualTo(new IntType());
        assertThat(type("int", "int(11)", 10, 0, 0)).isEqualTo(new IntType());
        assertThat(type("int", "int(10) unsigned", 10, 0, 0)).isEqualTo(new BigIntType());
        assertThat(type("bigint", "bigint(20)", 19, 0, 0)).isEqualTo(new BigIntType());
        assertThat(type("bigint", "bigint(20) unsigned", 20, 0, 0)).isEqualTo(new DecimalType(20, 0));
    }

    @Test
    void integerValuesConvertFromDebeziumsBoxes() {
        assertThat(map("tinyint", "tinyint(4)", 3, 0, 0).converter().convert((short) -128)).isEqualTo((byte) -128);
        assertThat(map("int", "int(10) unsigned", 10, 0, 0).converter().convert(4_294_967_295L)).isEqualTo(4_294_967_295L);
        assertThat(map("bigint", "bigint(20) unsigned", 20, 0, 0).converter().convert(new BigDecimal("18446744073709551615")))
                .isEqualTo(DecimalData.fromBigDecimal(new BigDecimal("18446744073709551615"), 20, 0));
    }

    @Test
    void decimalsKeepScaleAtTheWidestPrecisionOrBecomeTextBeyondThirtyEight() {
        LakeColumn money = map("decimal", "decimal(10,2)", 10, 2, 0);
        assertThat(money.type()).as("a later widening of the source column needs no other lake type").isEqualTo(new DecimalType(38, 2));
        assertThat(money.converter().convert(new BigDecimal("12345678.90")))
                .isEqualTo(DecimalData.fromBigDecimal(new BigDecimal("12345678.90"), 38, 2));
        assertThatThrownBy(() -> money.converter().convert(new BigDecimal("1" + "0".repeat(36) + ".00")))
                .as("39 digits").hasMessageContaining("does not fit");

        LakeColumn wide = map("decimal", "decimal(65,30)", 65, 30, 0);
        assertThat(wide.type()).isEqualTo(new VarCharType(VarCharType.MAX_LENGTH));
        String value = "12345678901234567890123456789012345.123456789012345678901234567890";
        assertThat(wide.converter().convert(new BigDecimal(value))).isEqualTo(StringData.fromString(value));
    }

    @Test
    void textAndBinaryTypes() {
        assertThat(map("varchar", "varchar(20)", 20, 0, 0).converter().convert("héllo 👋"))
                .isEqualTo(StringData.fromString("héllo 👋"));
        assertThat(type("enum", "enum('a','b')", 1, 0, 0)).isEqualTo(new VarCharType(VarCharType.MAX_LENGTH));
        assertThat(type("json", "json", 0, 0, 0)).isEqualTo(new VarCharType(VarCharType.MAX_LENGTH));
        LakeColumn blob = map("blob", "blob", 65535, 0, 0);
        assertThat(blob.type()).isEqualTo(new VarBinaryType(VarBinaryType.MAX_LENGTH));
        assertThat((byte[]) blob.converter().convert(ByteBuffer.wrap(new byte[] {1, 2, 3}))).containsExactly(1, 2, 3);
        assertThat(type("bit", "bit(1)", 1, 0, 0)).isEqualTo(new BooleanType());
        assertThat(type("double", "double", 22, 0, 0)).isEqualTo(new DoubleType());
    }

    @Test
    void datetimeIsWallClockOfTheSourceZoneAndBecomesWib() {
        LakeColumn datetime = map("datetime", "datetime", 0, 0, 0);
        assertThat(datetime.type()).isEqualTo(new TimestampType(3));
        long wallClockMillis = LocalDateTime.parse("2024-01-01T17:30:00").toInstant(java.time.ZoneOffset.UTC).toEpochMilli();
        assertThat(((TimestampData) datetime.converter().convert(wallClockMillis)).toLocalDateTime())
                .isEqualTo(LocalDateTime.parse("2024-01-02T00:30:00"));

        LakeColumn micros = map("datetime", "datetime(6)", 0, 0, 6);
        assertThat(micros.type()).isEqualTo(new TimestampType(6));
        assertThat(((TimestampData) micros.converter().convert(wallClockMillis * 1000 + 654_321)).toLocalDateTime())
                .isEqualTo(LocalDateTime.parse("2024-01-02T00:30:00.654321"));
    }

    @Test
    void timestampIsAnInstantAndBecomesWib() {
        LakeColumn timestamp = map("timestamp", "timestamp(6)", 0, 0, 6);
        assertThat(timestamp.type()).isEqualTo(new TimestampType(6));
        assertThat(((TimestampData) timestamp.converter().convert("2024-05-01T20:15:30.000123Z")).toLocalDateTime())
                .isEqualTo(LocalDateTime.parse("2024-05-02T03:15:30.000123"));
        assertThat(type("timestamp", "timestamp", 0, 0, 0)).isEqualTo(new TimestampType(3));
        assertThat(timestamp.converter().convert("1970-01-01T00:00:00Z")).as("the binlog's zero TIMESTAMP").isNull();
        assertThat(((TimestampData) timestamp.converter().convert("1970-01-01T00:00:01Z")).toLocalDateTime())
                .isEqualTo(LocalDateTime.parse("1970-01-01T07:00:01"));
    }

    @Test
    void dateStaysADate() {
        LakeColumn date = map("date", "date", 0, 0, 0);
        assertThat(date.type()).isEqualTo(new DateType());
        assertThat(date.converter().convert(19_723)).isEqualTo(19_723);
    }

    @Test
    void timeIsTextWithTheColumnsFractionDigitsOverItsWholeRange() {
        LakeColumn time = map("time", "time", 0, 0, 0);
        assertThat(time.type()).isEqualTo(new VarCharType(VarCharType.MAX_LENGTH));
        assertThat(time.converter().convert(3_723_000_000L)).isEqualTo(StringData.fromString("01:02:03"));
        long maxMicros = (838L * 3600 + 59 * 60 + 59) * 1_000_000;
        assertThat(time.converter().convert(maxMicros)).isEqualTo(StringData.fromString("838:59:59"));
        assertThat(time.converter().convert(-maxMicros)).isEqualTo(StringData.fromString("-838:59:59"));
        assertThat(time.converter().convert(-1_000_000L)).isEqualTo(StringData.fromString("-00:00:01"));

        assertThat(map("time", "time(3)", 0, 0, 3).converter().convert(86_400_001_000L))
                .isEqualTo(StringData.fromString("24:00:00.001"));
        LakeColumn fine = map("time", "time(6)", 0, 0, 6);
        assertThat(fine.converter().convert(-(3_600_000_000L * 100 + 1))).isEqualTo(StringData.fromString("-100:00:00.000001"));
        assertThatThrownBy(() -> map("time", "time(3)", 0, 0, 3).converter().convert(1L))
                .hasMessageContaining("more than 3 fraction digits");
    }

    @Test
    void spatialValuesAreMySqlsOwnBytesSridThenWkb() {
        Schema geometrySchema = SchemaBuilder.struct().name("io.debezium.data.geometry.Geometry")
                .field("wkb", Schema.BYTES_SCHEMA).field("srid", Schema.OPTIONAL_INT32_SCHEMA).build();
        byte[] wkb = {1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, -16, 63, 0, 0, 0, 0, 0, 0, 0, 64};
        for (String type : List.of("geometry", "point", "polygon", "geometrycollection")) {
            LakeColumn geometry = map(type, type, 0, 0, 0);
            assertThat(geometry.type()).as(type).isEqualTo(new VarBinaryType(VarBinaryType.MAX_LENGTH));
            byte[] withSrid = (byte[]) geometry.converter().convert(
                    new Struct(geometrySchema).put("wkb", ByteBuffer.wrap(wkb)).put("srid", 4326));
            assertThat(withSrid).startsWith((byte) 0xE6, (byte) 0x10, (byte) 0, (byte) 0).endsWith(wkb).hasSize(4 + wkb.length);
            byte[] withoutSrid = (byte[]) geometry.converter().convert(new Struct(geometrySchema).put("wkb", ByteBuffer.wrap(wkb)));
            assertThat(withoutSrid).startsWith((byte) 0, (byte) 0, (byte) 0, (byte) 0).endsWith(wkb);
        }
    }

    @Test
    void unsupportedTypesAreNamed() {
        assertThatThrownBy(() -> type("uuid", "uuid", 0, 0, 0)).hasMessageContaining("uuid");
    }
}
