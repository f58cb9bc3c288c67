package io.lakehousecdc.source.dms;

import io.lakehousecdc.core.TimeZonePolicy;

import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.types.logical.DecimalType;
import org.apache.flink.table.types.logical.LocalZonedTimestampType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.TimestampType;

import java.io.Serializable;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Turns one DMS field into Flink's internal value of the column's lake type. CSV fields arrive
 * as text; Parquet fields as the values {@link ParquetRecords} reads (numbers, BigDecimal,
 * LocalDate, LocalTime, LocalDateTime in UTC wall-clock, byte arrays, text).
 */
@FunctionalInterface
interface FieldConverter extends Serializable {

    Object convert(Object value);

    /** The lake type of a declared column and the converter of its values. */
    record Mapped(LogicalType type, FieldConverter converter) {}

    /** DMS writes {@code 2024-01-01 17:30:00.123456}; ISO's {@code T} is accepted too. */
    DateTimeFormatter DATE_TIME = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .optionalStart().appendLiteral(' ').optionalEnd()
            .optionalStart().appendLiteral('T').optionalEnd()
            .appendValue(ChronoField.HOUR_OF_DAY, 2).appendLiteral(':')
            .appendValue(ChronoField.MINUTE_OF_HOUR, 2).appendLiteral(':')
            .appendValue(ChronoField.SECOND_OF_MINUTE, 2)
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .toFormatter(Locale.ROOT);

    static Mapped of(LogicalType declared, TimeZonePolicy zones) {
        boolean nullable = declared.isNullable();
        switch (declared.getTypeRoot()) {
            case CHAR:
            case VARCHAR:
                return new Mapped(declared, v -> StringData.fromString(v.toString()));
            case BOOLEAN:
                return new Mapped(declared, v -> v instanceof Boolean b ? b : bool(v.toString()));
            case TINYINT:
                return new Mapped(declared, v -> v instanceof Number n ? n.byteValue() : Byte.parseByte((String) v));
            case SMALLINT:
                return new Mapped(declared, v -> v instanceof Number n ? n.shortValue() : Short.parseShort((String) v));
            case INTEGER:
                return new Mapped(declared, v -> v instanceof Number n ? n.intValue() : Integer.parseInt((String) v));
            case BIGINT:
                return new Mapped(declared, v -> v instanceof Number n ? n.longValue() : Long.parseLong((String) v));
            case FLOAT:
                return new Mapped(declared, v -> v instanceof Number n ? n.floatValue() : Float.parseFloat((String) v));
            case DOUBLE:
                return new Mapped(declared, v -> v instanceof Number n ? n.doubleValue() : Double.parseDouble((String) v));
            case DECIMAL: {
                DecimalType decimal = (DecimalType) declared;
                int precision = decimal.getPrecision();
                int scale = decimal.getScale();
                return new Mapped(declared, v -> {
                    BigDecimal value = v instanceof BigDecimal d ? d : new BigDecimal(v.toString());
                    DecimalData d = DecimalData.fromBigDecimal(value, precision, scale);
                    if (d == null) {
                        throw new IllegalArgumentException(v + " does not fit DECIMAL(" + precision + "," + scale + ")");
                    }
                    return d;
                });
            }
            case DATE:
                return new Mapped(declared, v -> (int) (v instanceof LocalDate d ? d : LocalDate.parse((String) v)).toEpochDay());
            case TIME_WITHOUT_TIME_ZONE:
                return new Mapped(declared,
                        v -> (int) ((v instanceof LocalTime t ? t : LocalTime.parse((String) v)).toNanoOfDay() / 1_000_000));
            case TIMESTAMP_WITHOUT_TIME_ZONE: {
                int precision = ((TimestampType) declared).getPrecision() <= 3 ? 3 : 6;
                return new Mapped(new TimestampType(nullable, precision), v -> {
                    LocalDateTime local = dateTime(v);
                    return zones.wallClockToTarget(local.toEpochSecond(ZoneOffset.UTC), local.getNano());
                });
            }
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE: {
                int precision = ((LocalZonedTimestampType) declared).getPrecision() <= 3 ? 3 : 6;
                return new Mapped(new TimestampType(nullable, precision), v -> {
                    LocalDateTime utc = dateTime(v);
                    return zones.instantToTarget(utc.toEpochSecond(ZoneOffset.UTC), utc.getNano());
                });
            }
            case BINARY:
            case VARBINARY:
                return new Mapped(declared, v -> v instanceof byte[] b ? b : HexFormat.of().parseHex((String) v));
            default:
                throw new IllegalArgumentException("type " + declared + " is not supported in DMS files");
        }
    }

    static LocalDateTime dateTime(Object v) {
        return v instanceof LocalDateTime t ? t : LocalDateTime.parse((String) v, DATE_TIME);
    }

    private static Boolean bool(String text) {
        switch (text.toLowerCase(Locale.ROOT)) {
            case "1":
            case "t":
            case "true":
            case "y":
            case "yes":
                return Boolean.TRUE;
            case "0":
            case "f":
            case "false":
            case "n":
            case "no":
                return Boolean.FALSE;
            default:
                throw new IllegalArgumentException("'" + text + "' is not a boolean");
        }
    }
}
