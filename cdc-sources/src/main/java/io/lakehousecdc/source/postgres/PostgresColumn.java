package io.lakehousecdc.source.postgres;

import java.io.Serializable;

/**
 * A column as {@code information_schema.columns} and {@code pg_type} describe it.
 *
 * @param name column name
 * @param type the base type's name ({@code int4}, {@code timestamptz}, an enum's name); for
 *     arrays the element type's
 * @param array whether the column is an array of {@code type}
 * @param enumType whether {@code type} is an enum
 * @param precision numeric precision; 0 when unconstrained or not numeric
 * @param scale numeric scale
 * @param fractionalSeconds fractional-second digits of temporal types
 * @param nullable whether the column admits NULL
 */
record PostgresColumn(
        String name, String type, boolean array, boolean enumType, int precision, int scale, int fractionalSeconds,
        boolean nullable) implements Serializable {

    PostgresColumn withNullable(boolean isNullable) {
        return new PostgresColumn(name, type, array, enumType, precision, scale, fractionalSeconds, isNullable);
    }

    PostgresColumn element() {
        return new PostgresColumn(name, type, false, enumType, precision, scale, fractionalSeconds, true);
    }
}
