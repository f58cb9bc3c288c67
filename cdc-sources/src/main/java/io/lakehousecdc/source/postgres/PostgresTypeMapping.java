package io.lakehousecdc.source.postgres;

import io.lakehousecdc.core.TimeZonePolicy;
import io.lakehousecdc.source.LakeColumn;
import io.lakehousecdc.source.LakeTypes;
import io.lakehousecdc.source.OutOfRangeDates;
import io.lakehousecdc.source.ValueConverter;

import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Struct;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.types.logical.ArrayType;
import org.apache.flink.table.types.logical.BigIntType;
import org.apache.flink.table.types.logical.BooleanType;
import org.apache.flink.table.types.logical.DateType;
import org.apache.flink.table.types.logical.DoubleType;
import org.apache.flink.table.types.logical.FloatType;
import org.apache.flink.table.types.logical.IntType;
import org.apache.flink.table.types.logical.SmallIntType;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Set;

/**
 * Maps PostgreSQL column types to lake types, and Debezium's values of them to Flink's internal
 * values. Debezium runs with {@code time.precision.mode=adaptive_time_microseconds},
 * {@code decimal.handling.mode=precise} and {@code binary.handling.mode=bytes}.
 *
 * <p>{@code timestamp} is a wall-clock value in the source's declared zone and {@code timestamptz}
 * an instant; both become target-zone (WIB) {@code TIMESTAMP(3)}, or {@code TIMESTAMP(6)} beyond
 * milliseconds. {@code date} stays a date; {@code time} becomes text ({@code HH:MM:SS[.f]}, the
 * column's fraction digits, 24:00:00 included) and {@code timetz} Debezium's UTC text of it.
 * {@code numeric} without a precision, or with one above 38, becomes exact text; uuid, json,
 * jsonb, xml, enums and network types text; {@code interval} ISO-8601 text (Debezium's
 * {@code interval.handling.mode=string}); arrays arrays of the element's lake type.
 */
final class PostgresTypeMapping {

    private PostgresTypeMapping() {}


    /**
     * How {@code date 'infinity'} arrives: an overflowed day count, one from the snapshot's JDBC
     * driver and one from the WAL. Far outside the lake's range either way, like {@code
     * -infinity} (which arrives as other such counts); only clamping needs to know which end it means.
     */
    private static final Set<Integer> POSITIVE_INFINITY_DAYS = Set.of(-622_191_234, -2_147_472_692);

    static LakeColumn map(PostgresColumn column, TimeZonePolicy zones, OutOfRangeDates outOfRange) {
        if (column.array()) {
            LakeColumn element = map(column.element(), zones, outOfRange);
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
            return LakeTypes.text(nullable);
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
                return LakeTypes.exactNumber(column.precision(), column.scale(), nullable, PostgresTypeMapping::toBigDecimal);
            case "money":
                // The snapshot reads money through the JDBC driver's double: cents are lost beyond
                // 15 digits and the largest values cannot be read at all.
                throw new IllegalArgumentException("type money cannot be read exactly (Debezium reads it as a double);"
                        + " ALTER the column to numeric(19,2)");
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
                return LakeTypes.text(nullable);
            case "bytea":
                return LakeTypes.bytes(nullable);
            case "date":
                return new LakeColumn(new DateType(nullable), v -> {
                    int day = ((Number) v).intValue();
                    return outOfRange.epochDay(outOfRange == OutOfRangeDates.CLAMP && POSITIVE_INFINITY_DAYS.contains(day)
                            ? Integer.MAX_VALUE : day);
                });
            case "time":
                return LakeTypes.timeText(column.fractionalSeconds(), nullable);
            case "timetz":
                return LakeTypes.text(nullable);
            case "timestamp":
                return LakeTypes.wallClockTimestamp(column.fractionalSeconds(), nullable, zones, outOfRange);
            case "timestamptz":
                return LakeTypes.zonedTimestamp(column.fractionalSeconds(), nullable, zones, outOfRange, null);
            case "interval":
                return LakeTypes.text(nullable);
            default:
                throw new IllegalArgumentException("type " + column.type() + (column.array() ? "[]" : "") + " is not supported");
        }
    }




    /** Precise decimals arrive as BigDecimal, unconstrained numerics as Debezium's variable-scale struct. */
    private static BigDecimal toBigDecimal(Object v) {
        if (v instanceof BigDecimal d) {
            return d;
        }
        if (v instanceof Struct variable) {
            byte[] unscaled = LakeTypes.toBytes(variable.get("value"));
            return new BigDecimal(new BigInteger(unscaled), variable.getInt32("scale"));
        }
        return new BigDecimal(v.toString());
    }

}
