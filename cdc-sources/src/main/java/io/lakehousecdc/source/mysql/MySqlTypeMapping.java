package io.lakehousecdc.source.mysql;

import io.lakehousecdc.source.LakeColumn;
import io.lakehousecdc.source.LakeTypes;
import io.lakehousecdc.source.OutOfRangeDates;

import io.lakehousecdc.core.TimeZonePolicy;

import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.types.logical.BigIntType;
import org.apache.flink.table.types.logical.BooleanType;
import org.apache.flink.table.types.logical.DecimalType;
import org.apache.flink.table.types.logical.DoubleType;
import org.apache.flink.table.types.logical.FloatType;
import org.apache.flink.table.types.logical.IntType;
import org.apache.flink.table.types.logical.SmallIntType;
import org.apache.flink.table.types.logical.TinyIntType;
import org.apache.flink.table.types.logical.VarBinaryType;

import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Struct;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;

/**
 * Maps MySQL/MariaDB column types to lake types, and Debezium's values of them to Flink's
 * internal values. Debezium runs with {@code time.precision.mode=adaptive_time_microseconds},
 * {@code decimal.handling.mode=precise} and {@code bigint.unsigned.handling.mode=precise}.
 *
 * <p>Time values: {@code DATETIME} is a wall-clock value in the source's declared zone and
 * {@code TIMESTAMP} an instant; both become target-zone (WIB) {@code TIMESTAMP(3)}, or
 * {@code TIMESTAMP(6)} when the source keeps more than milliseconds. {@code DATE} stays a date.
 * {@code TIME} becomes text ({@code [-]HH:MM:SS[.f]}, the column's fraction digits): it ranges
 * over -838:59:59..838:59:59, which the lake's time type cannot hold.
 */
final class MySqlTypeMapping {

    /**
     * How the binlog delivers a zero TIMESTAMP ('0000-00-00 00:00:00', stored as 0). No real
     * TIMESTAMP is this instant (the type starts at 00:00:01 UTC), so it becomes NULL, as Debezium
     * makes zero dates everywhere else.
     */
    private static final String ZERO_TIMESTAMP = "1970-01-01T00:00:00Z";

    private MySqlTypeMapping() {}


    static LakeColumn map(MySqlColumn column, TimeZonePolicy zones, OutOfRangeDates outOfRange) {
        boolean nullable = column.nullable();
        boolean unsigned = column.unsigned();
        String type = column.dataType().toLowerCase(Locale.ROOT);
        switch (type) {
            case "tinyint":
                return unsigned
                        ? new LakeColumn(new SmallIntType(nullable), v -> ((Number) v).shortValue())
                        : new LakeColumn(new TinyIntType(nullable), v -> ((Number) v).byteValue());
            case "smallint":
                return unsigned
                        ? new LakeColumn(new IntType(nullable), v -> ((Number) v).intValue())
                        : new LakeColumn(new SmallIntType(nullable), v -> ((Number) v).shortValue());
            case "mediumint":
                return new LakeColumn(new IntType(nullable), v -> ((Number) v).intValue());
            case "int":
            case "integer":
                return unsigned
                        ? new LakeColumn(new BigIntType(nullable), v -> ((Number) v).longValue())
                        : new LakeColumn(new IntType(nullable), v -> ((Number) v).intValue());
            case "bigint":
                return unsigned
                        ? new LakeColumn(new DecimalType(nullable, 20, 0), v -> DecimalData.fromBigDecimal(toBigDecimal(v), 20, 0))
                        : new LakeColumn(new BigIntType(nullable), v -> ((Number) v).longValue());
            case "year":
                return new LakeColumn(new IntType(nullable), v -> ((Number) v).intValue());
            case "float":
                return new LakeColumn(new FloatType(nullable), v -> ((Number) v).floatValue());
            case "double":
            case "real":
                return new LakeColumn(new DoubleType(nullable), v -> ((Number) v).doubleValue());
            case "decimal":
            case "numeric":
                return LakeTypes.exactNumber((int) column.precision(), column.scale(), nullable, MySqlTypeMapping::toBigDecimal);
            case "bit":
                return column.precision() == 1
                        ? new LakeColumn(new BooleanType(nullable), v -> (Boolean) v)
                        : new LakeColumn(new VarBinaryType(nullable, VarBinaryType.MAX_LENGTH), MySqlTypeMapping::bitsBigEndian);
            case "char":
            case "varchar":
            case "tinytext":
            case "text":
            case "mediumtext":
            case "longtext":
            case "enum":
            case "set":
            case "json":
                return LakeTypes.text(nullable);
            case "binary":
            case "varbinary":
            case "tinyblob":
            case "blob":
            case "mediumblob":
            case "longblob":
                return LakeTypes.bytes(nullable);
            case "date":
                return LakeTypes.date(nullable, outOfRange);
            case "time":
                return LakeTypes.timeText(column.fractionalSeconds(), nullable);
            case "datetime":
                return LakeTypes.wallClockTimestamp(column.fractionalSeconds(), nullable, zones, outOfRange);
            case "timestamp":
                return LakeTypes.zonedTimestamp(column.fractionalSeconds(), nullable, zones, outOfRange, ZERO_TIMESTAMP);
            case "geometry":
            case "point":
            case "linestring":
            case "polygon":
            case "multipoint":
            case "multilinestring":
            case "multipolygon":
            case "geometrycollection":
                return new LakeColumn(new VarBinaryType(nullable, VarBinaryType.MAX_LENGTH), MySqlTypeMapping::geometryBytes);
            default:
                throw new IllegalArgumentException("type " + column.columnType() + " is not supported");
        }
    }



    /** Debezium gives BIT(n) least significant byte first; MySQL shows and compares them the other way round. */
    private static byte[] bitsBigEndian(Object v) {
        byte[] littleEndian = LakeTypes.toBytes(v);
        byte[] bigEndian = new byte[littleEndian.length];
        for (int i = 0; i < littleEndian.length; i++) {
            bigEndian[i] = littleEndian[littleEndian.length - 1 - i];
        }
        return bigEndian;
    }

    /**
     * MySQL's own form of a spatial value, the one {@code SELECT} returns: the SRID as four
     * little-endian bytes, then the WKB. Debezium splits the two; the SRID is absent when 0.
     */
    private static byte[] geometryBytes(Object v) {
        Struct geometry = (Struct) v;
        byte[] wkb = LakeTypes.toBytes(geometry.get("wkb"));
        Integer srid = geometry.getInt32("srid");
        return ByteBuffer.allocate(4 + wkb.length).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(srid == null ? 0 : srid).put(wkb).array();
    }

    private static BigDecimal toBigDecimal(Object v) {
        return v instanceof BigDecimal d ? d : new BigDecimal(v.toString());
    }

}
