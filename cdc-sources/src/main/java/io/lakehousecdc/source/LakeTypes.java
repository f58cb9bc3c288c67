package io.lakehousecdc.source;

import io.lakehousecdc.core.TimeZonePolicy;

import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.types.logical.DateType;
import org.apache.flink.table.types.logical.DecimalType;
import org.apache.flink.table.types.logical.TimestampType;
import org.apache.flink.table.types.logical.VarBinaryType;
import org.apache.flink.table.types.logical.VarCharType;

import java.math.BigDecimal;
import java.nio.ByteBuffer;

/** Lake columns that every database source maps the same way. */
public final class LakeTypes {

    /** Flink's widest exact decimal; wider source decimals are kept as exact text. */
    private static final int MAX_LAKE_DECIMAL_PRECISION = 38;

    private LakeTypes() {}

    /** Text, from any value's string form. */
    public static LakeColumn text(boolean nullable) {
        return new LakeColumn(new VarCharType(nullable, VarCharType.MAX_LENGTH), v -> StringData.fromString(v.toString()));
    }

    /** Bytes, from a byte array or a ByteBuffer. */
    public static LakeColumn bytes(boolean nullable) {
        return new LakeColumn(new VarBinaryType(nullable, VarBinaryType.MAX_LENGTH), LakeTypes::toBytes);
    }

    /**
     * An exact number: {@code DECIMAL(38,s)} whatever the source's precision, or exact text when
     * the precision is unknown (0) or above Flink's 38 digits.
     *
     * <p>The lake's decimals take the widest precision because Hudi stores a decimal as a
     * fixed-size binary sized by its precision and cannot read files of one size with the
     * other: a column whose precision the source widens ({@code DECIMAL(6,2)} to
     * {@code DECIMAL(10,2)}) keeps its lake type, and the files already written stay readable.
     *
     * @param toBigDecimal reads the source's value as a BigDecimal
     */
    public static LakeColumn exactNumber(int precision, int scale, boolean nullable, ValueConverter toBigDecimal) {
        if (precision == 0 || precision > MAX_LAKE_DECIMAL_PRECISION) {
            return new LakeColumn(new VarCharType(nullable, VarCharType.MAX_LENGTH),
                    v -> StringData.fromString(((BigDecimal) toBigDecimal.convert(v)).toPlainString()));
        }
        return new LakeColumn(new DecimalType(nullable, MAX_LAKE_DECIMAL_PRECISION, scale), v -> {
            DecimalData d = DecimalData.fromBigDecimal((BigDecimal) toBigDecimal.convert(v), MAX_LAKE_DECIMAL_PRECISION, scale);
            if (d == null) {
                throw new IllegalArgumentException(v + " does not fit DECIMAL(" + MAX_LAKE_DECIMAL_PRECISION + "," + scale + ")");
            }
            return d;
        });
    }

    /**
     * A time of day or signed duration given in microseconds, as text {@code [-]HH:MM:SS[.f...]}
     * with the column's fraction digits: the lake's time type holds milliseconds of one day only.
     */
    public static LakeColumn timeText(int fractionalSeconds, boolean nullable) {
        int digits = Math.min(Math.max(fractionalSeconds, 0), 6);
        return new LakeColumn(new VarCharType(nullable, VarCharType.MAX_LENGTH),
                v -> StringData.fromString(TimeText.ofMicros(((Number) v).longValue(), digits)));
    }

    /** A date, as days since 1970-01-01; {@code outOfRange} decides about dates the lake cannot hold. */
    public static LakeColumn date(boolean nullable, OutOfRangeDates outOfRange) {
        return new LakeColumn(new DateType(nullable), v -> outOfRange.epochDay(((Number) v).intValue()));
    }

    /** A timestamp without zone, from the source's wall-clock milliseconds or microseconds, in the target zone. */
    public static LakeColumn wallClockTimestamp(int fractionalSeconds, boolean nullable, TimeZonePolicy zones,
            OutOfRangeDates outOfRange) {
        return fractionalSeconds <= 3
                ? new LakeColumn(new TimestampType(nullable, 3), v -> outOfRange.timestamp(
                        zones.wallClockMillisToTarget(outOfRange.wallClockMillis(((Number) v).longValue()))))
                : new LakeColumn(new TimestampType(nullable, 6), v -> outOfRange.timestamp(
                        zones.wallClockMicrosToTarget(outOfRange.wallClockMicros(((Number) v).longValue()))));
    }

    /**
     * A timestamp with zone, from the ISO-8601 text Debezium writes, in the target zone.
     *
     * @param nullText a value that stands for NULL, or null
     */
    public static LakeColumn zonedTimestamp(int fractionalSeconds, boolean nullable, TimeZonePolicy zones,
            OutOfRangeDates outOfRange, String nullText) {
        return new LakeColumn(new TimestampType(nullable, fractionalSeconds <= 3 ? 3 : 6),
                v -> v.equals(nullText) ? null : outOfRange.isoInstant((String) v, zones));
    }

    public static byte[] toBytes(Object v) {
        if (v instanceof byte[] b) {
            return b;
        }
        ByteBuffer buffer = ((ByteBuffer) v).duplicate();
        byte[] out = new byte[buffer.remaining()];
        buffer.get(out);
        return out;
    }
}
