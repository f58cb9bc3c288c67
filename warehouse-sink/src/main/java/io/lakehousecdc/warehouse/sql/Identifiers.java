package io.lakehousecdc.warehouse.sql;

import java.util.regex.Pattern;

/**
 * Quotes identifiers. Only names checked against {@link #SAFE} reach SQL: model files, lake
 * schemas and settings are validated before any statement is built.
 */
public final class Identifiers {

    public static final Pattern SAFE = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]{0,126}");

    private Identifiers() {}

    public static String quote(String identifier) {
        if (!SAFE.matcher(identifier).matches()) {
            throw new IllegalArgumentException("Not a plain SQL identifier: " + identifier);
        }
        return '"' + identifier + '"';
    }

    /** {@code "schema"."table"}. */
    public static String qualified(String schema, String table) {
        return quote(schema) + "." + quote(table);
    }
}
