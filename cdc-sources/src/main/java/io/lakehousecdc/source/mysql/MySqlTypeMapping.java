package io.lakehousecdc.source.mysql;

import io.lakehousecdc.source.ValueConverter;
import io.lakehousecdc.source.IsoTimestamps;
import io.lakehousecdc.source.LakeColumn;
import io.lakehousecdc.source.TimeText;

import io.lakehousecdc.core.TimeZonePolicy;

import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.types.logical.BigIntType;
import org.apache.flink.table.types.logical.BooleanType;
import org.apache.flink.table.types.logical.DateType;
import org.apache.flink.table.types.logical.DecimalType;
import org.apache.flink.table.types.logical.DoubleType;
import org.apache.flink.table.types.logical.FloatType;
import org.apache.flink.table.types.logical.IntType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.SmallIntType;
import org.apache.flink.table.types.logical.TimeType;
import org.apache.flink.table.types.logical.TimestampType;
import org.apache.flink.table.types.logical.TinyIntType;
import org.apache.flink.table.types.logical.VarBinaryType;
import org.apache.flink.table.types.logical.VarCharType;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * Maps MySQL/MariaDB column types to lake types, and Debezium's values of them to Flink's
 * internal values. Debezium runs with {@code time.precision.mode=adaptive_time_microseconds},
 * {@code decimal.handling.mode=precise} and {@code bigint.unsigned.handling.mode=precise}.
 *
 * <p>Time values: {@code DATETIME} is a wall-clock value in the source's declared zone and
 * {@code TIMESTAMP} an instant; both become target-zone (WIB) {@code TIMESTAMP(3)}, or
 * {@code TIMESTAMP(6)} when the source keeps more than milliseconds. {@code DATE} stays a date.
 * {@code TIME} up to millisecond precision becomes {@code TIME(3)}; finer {@code TIME} becomes
 * text ({@code HH:MM:SS.ffffff}), since the lake's time type holds milliseconds only.
 */
final class MySqlTypeMapping {

    /** MySQL's widest exact decimal is 65 digits; Flink's is 38. Wider ones are kept as text. */
    private static final int MAX_LAKE_DECIMAL_PRECISION = 38;
    private static final long MICROS_PER_DAY = 86_400_000_000L;

    private MySqlTypeMapping() {}


    static LakeColumn map(MySqlColumn column, TimeZonePolicy zones) {
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
                return decimal(column, nullable);
            case "bit":
                return column.precision() == 1
                        ? new LakeColumn(new BooleanType(nullable), v -> (Boolean) v)
                        : new LakeColumn(new VarBinaryType(nullable, VarBinaryType.MAX_LENGTH), MySqlTypeMapping::bytes);
            case "char":
            case "varchar":
            case "tinytext":
            case "text":
            case "mediumtext":
            case "longtext":
            case "enum":
            case "set":
            case "json":
                return new LakeColumn(new VarCharType(nullable, VarCharType.MAX_LENGTH), v -> StringData.fromString(v.toString()));
            case "binary":
            case "varbinary":
            case "tinyblob":
            case "blob":
            case "mediumblob":
            case "longblob":
                return new LakeColumn(new VarBinaryType(nullable, VarBinaryType.MAX_LENGTH), MySqlTypeMapping::bytes);
            case "date":
                return new LakeColumn(new DateType(nullable), v -> ((Number) v).intValue());
            case "time":
                return time(column, nullable);
            case "datetime":
                return column.fractionalSeconds() <= 3
                        ? new LakeColumn(new TimestampType(nullable, 3), v -> zones.wallClockMillisToTarget(((Number) v).longValue()))
                        : new LakeColumn(new TimestampType(nullable, 6), v -> zones.wallClockMicrosToTarget(((Number) v).longValue()));
            case "timestamp":
                return new LakeColumn(
                        new TimestampType(nullable, column.fractionalSeconds() <= 3 ? 3 : 6),
                        v -> IsoTimestamps.instantToTarget((String) v, zones));
            default:
                throw new IllegalArgumentException("type " + column.columnType() + " is not supported");
        }
    }

    private static LakeColumn decimal(MySqlColumn column, boolean nullable) {
        int precision = (int) column.precision();
        int scale = column.scale();
        if (precision > MAX_LAKE_DECIMAL_PRECISION) {
            return new LakeColumn(
                    new VarCharType(nullable, VarCharType.MAX_LENGTH),
                    v -> StringData.fromString(toBigDecimal(v).toPlainString()));
        }
        return new LakeColumn(new DecimalType(nullable, precision, scale), v -> {
            DecimalData d = DecimalData.fromBigDecimal(toBigDecimal(v), precision, scale);
            if (d == null) {
                throw new IllegalArgumentException(v + " does not fit DECIMAL(" + precision + "," + scale + ")");
            }
            return d;
        });
    }

    private static LakeColumn time(MySqlColumn column, boolean nullable) {
        if (column.fractionalSeconds() <= 3) {
            return new LakeColumn(new TimeType(nullable, 3), v -> {
                long micros = ((Number) v).longValue();
                if (micros < 0 || micros >= MICROS_PER_DAY) {
                    throw new IllegalArgumentException("TIME value " + micros + "us is outside 00:00-24:00");
                }
                return (int) (micros / 1000);
            });
        }
        return new LakeColumn(new VarCharType(nullable, VarCharType.MAX_LENGTH), v -> StringData.fromString(TimeText.ofMicros(((Number) v).longValue())));
    }

    private static BigDecimal toBigDecimal(Object v) {
        return v instanceof BigDecimal d ? d : new BigDecimal(v.toString());
    }

    private static byte[] bytes(Object v) {
        if (v instanceof byte[] b) {
            return b;
        }
        ByteBuffer buffer = ((ByteBuffer) v).duplicate();
        byte[] out = new byte[buffer.remaining()];
        buffer.get(out);
        return out;
    }
}
