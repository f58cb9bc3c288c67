package io.lakehousecdc.warehouse.model;

/**
 * A warehouse column filled from a lake column.
 *
 * @param lakeName the lake table's column
 * @param name the warehouse column, the lake name unless renamed
 * @param type a SQL type to use instead of the one derived from the lake type, or null
 */
public record ModelColumn(String lakeName, String name, String type) {}
