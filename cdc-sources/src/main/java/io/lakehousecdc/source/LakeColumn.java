package io.lakehousecdc.source;

import org.apache.flink.table.types.logical.LogicalType;

import java.io.Serializable;

/**
 * A source column's lake type and the converter of its values.
 *
 * @param type the lake type
 * @param converter turns the source's non-null values into Flink's internal values of {@code type}
 */
public record LakeColumn(LogicalType type, ValueConverter converter) implements Serializable {}
