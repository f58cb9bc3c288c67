package io.lakehousecdc.source;

import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.DateType;
import org.apache.flink.table.types.logical.DecimalType;
import org.apache.flink.table.types.logical.VarBinaryType;
import org.apache.flink.table.types.logical.VarCharType;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.LocalDate;

/** Lake columns that every database source maps the same way. */
public final class LakeTypes {

    /** Flink's widest exact decimal; wider source decimals are kept as exact text. */
    private static final int MAX_LAKE_DECIMAL_PRECISION = 38;

    private static final long MAX_STORABLE_MILLIS = Long.MAX_VALUE / 1000 - 1;

    private static final int MIN_LAKE_EPOCH_DAY = (int) LocalDate.of(0, 1, 1).toEpochDay();
    private static final int MAX_LAKE_EPOCH_DAY = (int) LocalDate.of(9999, 12, 31).toEpochDay();

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
     * A time of day or signed duration given in microseconds, as text {@code [-]HH:MM:SS[.f...]}
     * with the column's fraction digits: the lake's time type holds milliseconds of one day only.
     */
    public static LakeColumn timeText(int fractionalSeconds, boolean nullable) {
        int digits = Math.min(Math.max(fractionalSeconds, 0), 6);
        return new LakeColumn(new VarCharType(nullable, VarCharType.MAX_LENGTH),
                v -> StringData.fromString(TimeText.ofMicros(((Number) v).longValue(), digits)));
    }

    /**
     * A timestamp the lake can store: Hudi writes microseconds since the epoch as a long, so
     * values beyond about 292,000 years, such as PostgreSQL's {@code infinity}, would stop the
     * writer; they are errors here instead, and their change a failed event.
     */
    public static TimestampData storable(TimestampData t) {
        long millis = t.getMillisecond();
        if (millis > MAX_STORABLE_MILLIS || millis < -MAX_STORABLE_MILLIS) {
            throw new IllegalArgumentException("timestamp " + millis + "ms since 1970 is beyond the lake's range (infinity?)");
        }
        return t;
    }

    /**
     * A date the lake can read back: Flink's {@code DATE} spans 0000-01-01 to 9999-12-31, and a
     * query over a value outside fails as a whole; such values are errors here instead.
     */
    public static LakeColumn date(boolean nullable) {
        return new LakeColumn(new DateType(nullable), v -> {
            int epochDay = ((Number) v).intValue();
            if (epochDay < MIN_LAKE_EPOCH_DAY || epochDay > MAX_LAKE_EPOCH_DAY) {
                throw new IllegalArgumentException("date " + epochDay + " days from 1970-01-01 is outside 0000-01-01..9999-12-31");
            }
            return epochDay;
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
