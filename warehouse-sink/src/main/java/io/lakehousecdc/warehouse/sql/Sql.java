package io.lakehousecdc.warehouse.sql;

import java.util.Arrays;
import java.util.List;

/** A statement with {@code ?} placeholders and the values bound to them, in order. */
public record Sql(String text, List<Object> params) {

    public static Sql of(String text, Object... params) {
        return new Sql(text, Arrays.asList(params));
    }

    @Override
    public String toString() {
        return text;
    }
}
