package io.lakehousecdc.warehouse.sql;

/**
 * A column of a table to create.
 *
 * @param name unquoted
 * @param type the dialect's type, or null for a generated surrogate key
 */
public record ColumnDefinition(String name, String type, boolean notNull) {

    public static ColumnDefinition surrogateKey(String name) {
        return new ColumnDefinition(name, null, true);
    }

    public boolean generated() {
        return type == null;
    }
}
