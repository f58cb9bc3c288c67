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

/** Turns one DMS CSV field into Flink's internal value of the column's lake type. */
@FunctionalInterface
interface TextConverter extends Serializable {

    Object convert(String text);

    /** The lake type of a declared column and the converter of its text. */
    record Mapped(LogicalType type, TextConverter converter) {}

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
                return new Mapped(declared, StringData::fromString);
            case BOOLEAN:
                return new Mapped(declared, TextConverter::bool);
            case TINYINT:
                return new Mapped(declared, Byte::parseByte);
            case SMALLINT:
                return new Mapped(declared, Short::parseShort);
            case INTEGER:
                return new Mapped(declared, Integer::parseInt);
            case BIGINT:
                return new Mapped(declared, Long::parseLong);
            case FLOAT:
                return new Mapped(declared, Float::parseFloat);
            case DOUBLE:
                return new Mapped(declared, Double::parseDouble);
            case DECIMAL: {
                DecimalType decimal = (DecimalType) declared;
                int precision = decimal.getPrecision();
                int scale = decimal.getScale();
                return new Mapped(declared, text -> {
                    DecimalData d = DecimalData.fromBigDecimal(new BigDecimal(text), precision, scale);
                    if (d == null) {
                        throw new IllegalArgumentException(text + " does not fit DECIMAL(" + precision + "," + scale + ")");
                    }
                    return d;
                });
            }
            case DATE:
                return new Mapped(declared, text -> (int) LocalDate.parse(text).toEpochDay());
            case TIME_WITHOUT_TIME_ZONE:
                return new Mapped(declared, text -> (int) (LocalTime.parse(text).toNanoOfDay() / 1_000_000));
            case TIMESTAMP_WITHOUT_TIME_ZONE: {
                int precision = ((TimestampType) declared).getPrecision() <= 3 ? 3 : 6;
                return new Mapped(new TimestampType(nullable, precision), text -> {
                    LocalDateTime local = LocalDateTime.parse(text, DATE_TIME);
                    return zones.wallClockToTarget(local.toEpochSecond(ZoneOffset.UTC), local.getNano());
                });
            }
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE: {
                int precision = ((LocalZonedTimestampType) declared).getPrecision() <= 3 ? 3 : 6;
                return new Mapped(new TimestampType(nullable, precision), text -> {
                    LocalDateTime utc = LocalDateTime.parse(text, DATE_TIME);
                    return zones.instantToTarget(utc.toEpochSecond(ZoneOffset.UTC), utc.getNano());
                });
            }
            case BINARY:
            case VARBINARY:
                return new Mapped(declared, text -> HexFormat.of().parseHex(text));
            default:
                throw new IllegalArgumentException("type " + declared + " is not supported in DMS files");
        }
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
