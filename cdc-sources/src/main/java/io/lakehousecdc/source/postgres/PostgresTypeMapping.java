package io.lakehousecdc.source.postgres;

import io.lakehousecdc.core.TimeZonePolicy;
import io.lakehousecdc.source.IsoTimestamps;
import io.lakehousecdc.source.LakeColumn;
import io.lakehousecdc.source.TimeText;
import io.lakehousecdc.source.ValueConverter;

import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Struct;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.types.logical.ArrayType;
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
import org.apache.flink.table.types.logical.VarBinaryType;
import org.apache.flink.table.types.logical.VarCharType;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Maps PostgreSQL column types to lake types, and Debezium's values of them to Flink's internal
 * values. Debezium runs with {@code time.precision.mode=adaptive_time_microseconds},
 * {@code decimal.handling.mode=precise} and {@code binary.handling.mode=bytes}.
 *
 * <p>{@code timestamp} is a wall-clock value in the source's declared zone and {@code timestamptz}
 * an instant; both become target-zone (WIB) {@code TIMESTAMP(3)}, or {@code TIMESTAMP(6)} beyond
 * milliseconds. {@code date} stays a date; {@code time} becomes {@code TIME(3)} up to millisecond
 * precision and text ({@code HH:MM:SS.ffffff}) beyond. {@code numeric} without a precision, or
 * with one above 38, becomes exact text; uuid, json, jsonb, xml, enums and network types text;
 * {@code interval} a {@code BIGINT} of microseconds; arrays arrays of the element's lake type.
 */
final class PostgresTypeMapping {

    private static final int MAX_LAKE_DECIMAL_PRECISION = 38;
    private static final long MICROS_PER_DAY = 86_400_000_000L;

    private PostgresTypeMapping() {}


    static LakeColumn map(PostgresColumn column, TimeZonePolicy zones) {
        if (column.array()) {
            LakeColumn element = map(column.element(), zones);
            ValueConverter convert = element.converter();
            return new LakeColumn(new ArrayType(column.nullable(), element.type()), v -> {
                List<?> values = (List<?>) v;
                Object[] converted = new Object[values.size()];
                for (int i = 0; i < converted.length; i++) {
                    Object item = values.get(i);
                    converted[i] = item == null ? null : convert.convert(item);
                }
                return new GenericArrayData(converted);
            });
        }
        boolean nullable = column.nullable();
        if (column.enumType()) {
            return text(nullable);
        }
        switch (column.type()) {
            case "int2":
                return new LakeColumn(new SmallIntType(nullable), v -> ((Number) v).shortValue());
            case "int4":
                return new LakeColumn(new IntType(nullable), v -> ((Number) v).intValue());
            case "int8":
                return new LakeColumn(new BigIntType(nullable), v -> ((Number) v).longValue());
            case "float4":
                return new LakeColumn(new FloatType(nullable), v -> ((Number) v).floatValue());
            case "float8":
                return new LakeColumn(new DoubleType(nullable), v -> ((Number) v).doubleValue());
            case "bool":
                return new LakeColumn(new BooleanType(nullable), v -> (Boolean) v);
            case "numeric":
                return numeric(column.precision(), column.scale(), nullable);
            case "money":
                return numeric(19, 2, nullable);
            case "varchar":
            case "bpchar":
            case "text":
            case "name":
            case "uuid":
            case "json":
            case "jsonb":
            case "xml":
            case "inet":
            case "cidr":
            case "macaddr":
            case "citext":
                return text(nullable);
            case "bytea":
                return new LakeColumn(new VarBinaryType(nullable, VarBinaryType.MAX_LENGTH), PostgresTypeMapping::bytes);
            case "date":
                return new LakeColumn(new DateType(nullable), v -> ((Number) v).intValue());
            case "time":
                return time(column.fractionalSeconds(), nullable);
            case "timestamp":
                return column.fractionalSeconds() <= 3
                        ? new LakeColumn(new TimestampType(nullable, 3), v -> zones.wallClockMillisToTarget(((Number) v).longValue()))
                        : new LakeColumn(new TimestampType(nullable, 6), v -> zones.wallClockMicrosToTarget(((Number) v).longValue()));
            case "timestamptz":
                return new LakeColumn(new TimestampType(nullable, column.fractionalSeconds() <= 3 ? 3 : 6),
                        v -> IsoTimestamps.instantToTarget((String) v, zones));
            case "interval":
                return new LakeColumn(new BigIntType(nullable), v -> ((Number) v).longValue());
            default:
                throw new IllegalArgumentException("type " + column.type() + (column.array() ? "[]" : "") + " is not supported");
        }
    }

    private static LakeColumn text(boolean nullable) {
        return new LakeColumn(new VarCharType(nullable, VarCharType.MAX_LENGTH), v -> StringData.fromString(v.toString()));
    }

    private static LakeColumn numeric(int precision, int scale, boolean nullable) {
        if (precision == 0 || precision > MAX_LAKE_DECIMAL_PRECISION) {
            return new LakeColumn(new VarCharType(nullable, VarCharType.MAX_LENGTH),
                    v -> StringData.fromString(toBigDecimal(v).toPlainString()));
        }
        return new LakeColumn(new DecimalType(nullable, precision, scale), v -> {
            DecimalData d = DecimalData.fromBigDecimal(toBigDecimal(v), precision, scale);
            if (d == null) {
                throw new IllegalArgumentException(v + " does not fit NUMERIC(" + precision + "," + scale + ")");
            }
            return d;
        });
    }

    private static LakeColumn time(int fractionalSeconds, boolean nullable) {
        if (fractionalSeconds <= 3) {
            return new LakeColumn(new TimeType(nullable, 3), v -> {
                long micros = ((Number) v).longValue();
                if (micros < 0 || micros >= MICROS_PER_DAY) {
                    throw new IllegalArgumentException("time value " + micros + "us is outside 00:00-24:00");
                }
                return (int) (micros / 1000);
            });
        }
        return new LakeColumn(new VarCharType(nullable, VarCharType.MAX_LENGTH),
                v -> StringData.fromString(TimeText.ofMicros(((Number) v).longValue())));
    }

    /** Precise decimals arrive as BigDecimal, unconstrained numerics as Debezium's variable-scale struct. */
    private static BigDecimal toBigDecimal(Object v) {
        if (v instanceof BigDecimal d) {
            return d;
        }
        if (v instanceof Struct variable) {
            byte[] unscaled = bytes(variable.get("value"));
            return new BigDecimal(new BigInteger(unscaled), variable.getInt32("scale"));
        }
        return new BigDecimal(v.toString());
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
