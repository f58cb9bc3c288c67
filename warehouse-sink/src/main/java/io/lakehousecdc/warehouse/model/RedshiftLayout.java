package io.lakehousecdc.warehouse.model;

import java.util.List;
import java.util.Map;

/**
 * How Redshift lays out a model's table: distribution, sort key and column encodings. PostgreSQL
 * ignores it.
 *
 * @param distStyle AUTO, EVEN, ALL or KEY; null leaves Redshift's default (KEY when a distkey is set)
 * @param distKey a warehouse column, or null
 * @param sortKey warehouse columns of a compound sort key, possibly empty
 * @param encodings compression encoding per warehouse column
 */
public record RedshiftLayout(String distStyle, String distKey, List<String> sortKey, Map<String, String> encodings) {

    public static final RedshiftLayout DEFAULT = new RedshiftLayout(null, null, List.of(), Map.of());
}
