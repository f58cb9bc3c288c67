package io.lakehousecdc.source;

import io.lakehousecdc.core.LakeSchema;
import io.lakehousecdc.core.TableId;

import java.io.Serializable;
import java.util.List;

/**
 * A captured table: its lake schema and, per source column in order, the converter of its values.
 *
 * @param columnNames the source columns, in the order of the lake schema
 * @param converters one per source column
 */
public record CapturedTable(TableId id, LakeSchema schema, List<String> columnNames, List<ValueConverter> converters)
        implements Serializable {

    public CapturedTable {
        columnNames = List.copyOf(columnNames);
        converters = List.copyOf(converters);
    }
}
