package io.lakehousecdc.warehouse.model;

import java.util.List;

/**
 * A fact's reference to a dimension: the fact columns holding the dimension's natural key (in the
 * order of the dimension's key), and the fact column that receives the surrogate key.
 */
public record DimensionRef(String model, List<String> columns, String as) {}
