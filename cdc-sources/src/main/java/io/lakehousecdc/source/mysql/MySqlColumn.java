package io.lakehousecdc.source.mysql;

import java.io.Serializable;
import java.util.Locale;

/**
 * A column as {@code information_schema.COLUMNS} describes it.
 *
 * @param name column name
 * @param dataType bare type name, lower case ({@code int}, {@code datetime}, ...)
 * @param columnType full type ({@code int(10) unsigned}, {@code tinyint(1)}, {@code enum('a','b')})
 * @param precision numeric precision, or character length; 0 when not applicable
 * @param scale numeric scale; 0 when not applicable
 * @param fractionalSeconds fractional-second digits of temporal types
 * @param nullable whether the column admits NULL
 */
record MySqlColumn(
        String name, String dataType, String columnType, long precision, int scale, int fractionalSeconds, boolean nullable)
        implements Serializable {

    MySqlColumn withNullable(boolean isNullable) {
        return new MySqlColumn(name, dataType, columnType, precision, scale, fractionalSeconds, isNullable);
    }

    boolean unsigned() {
        return columnType.toLowerCase(Locale.ROOT).contains("unsigned");
    }
}
