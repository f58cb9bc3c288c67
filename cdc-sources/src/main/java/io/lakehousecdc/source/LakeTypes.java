package io.lakehousecdc.source;

import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.types.logical.DecimalType;
import org.apache.flink.table.types.logical.TimeType;
import org.apache.flink.table.types.logical.VarBinaryType;
import org.apache.flink.table.types.logical.VarCharType;

import java.math.BigDecimal;
import java.nio.ByteBuffer;

/** Lake columns that every database source maps the same way. */
public final class LakeTypes {

    /** Flink's widest exact decimal; wider source decimals are kept as exact text. */
    private static final int MAX_LAKE_DECIMAL_PRECISION = 38;
    private static final long MICROS_PER_DAY = 86_400_000_000L;

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
     * An exact number: {@code DECIMAL(p,s)}, or exact text when the precision is unknown (0) or
     * above Flink's 38 digits. A value that does not fit is an error, never rounded.
     *
     * @param toBigDecimal reads the source's value as a BigDecimal
     */
    public static LakeColumn exactNumber(int precision, int scale, boolean nullable, ValueConverter toBigDecimal) {
        if (precision == 0 || precision > MAX_LAKE_DECIMAL_PRECISION) {
            return new LakeColumn(new VarCharType(nullable, VarCharType.MAX_LENGTH),
                    v -> StringData.fromString(((BigDecimal) toBigDecimal.convert(v)).toPlainString()));
        }
        return new LakeColumn(new DecimalType(nullable, precision, scale), v -> {
            DecimalData d = DecimalData.fromBigDecimal((BigDecimal) toBigDecimal.convert(v), precision, scale);
            if (d == null) {
                throw new IllegalArgumentException(v + " does not fit DECIMAL(" + precision + "," + scale + ")");
            }
            return d;
        });
    }

    /**
     * A time of day given in microseconds: {@code TIME(3)} up to millisecond precision (values
     * outside 00:00-24:00 are errors), text ({@code HH:MM:SS.ffffff}) beyond, since the lake's
     * time type holds milliseconds only.
     */
    public static LakeColumn timeOfDayMicros(int fractionalSeconds, boolean nullable) {
        if (fractionalSeconds > 3) {
            return new LakeColumn(new VarCharType(nullable, VarCharType.MAX_LENGTH),
                    v -> StringData.fromString(TimeText.ofMicros(((Number) v).longValue())));
        }
        return new LakeColumn(new TimeType(nullable, 3), v -> {
            long micros = ((Number) v).longValue();
            if (micros < 0 || micros >= MICROS_PER_DAY) {
                throw new IllegalArgumentException("time value " + micros + "us is outside 00:00-24:00");
            }
            return (int) (micros / 1000);
        });
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
