package io.lakehousecdc.lake;

import io.lakehousecdc.core.LakeSchema;
import io.lakehousecdc.core.LakeZone;
import io.lakehousecdc.core.SetupException;

import org.apache.flink.table.types.logical.LogicalTypeFamily;

import java.io.Serializable;
import java.util.Map;

/**
 * A lake table to write: its schema, where it lives, how it is stored and partitioned.
 *
 * @param schema the lake schema
 * @param basePath the lake's base path
 * @param type MERGE_ON_READ or COPY_ON_WRITE
 * @param partitionBy a date/time column whose WIB day partitions the table, or null
 * @param hudiOptions extra Hudi options, passed as they are
 * @param rawZone whether the table's changes are also kept in its raw-zone change log
 */
public record LakeTable(
        LakeSchema schema, String basePath, LakeOptions.TableType type, String partitionBy, Map<String, String> hudiOptions,
        boolean rawZone)
        implements Serializable {

    public LakeTable {
        hudiOptions = Map.copyOf(hudiOptions);
        if (partitionBy != null) {
            boolean temporal;
            try {
                temporal = schema.columnType(partitionBy).is(LogicalTypeFamily.DATETIME);
            } catch (IllegalArgumentException e) {
                throw new SetupException("partition-by of " + schema.table().sourceName() + " names column '"
                        + partitionBy + "', which the table does not have: fix it in the table's settings");
            }
            if (!temporal) {
                throw new SetupException("partition-by of " + schema.table().sourceName() + " names column '"
                        + partitionBy + "', which is not a date or time: partition by a DATE, DATETIME or TIMESTAMP column");
            }
        }
    }

    public String name() {
        return schema.table().lakeName();
    }

    public String path(LakeZone zone) {
        return schema.table().lakePath(basePath, zone);
    }
}
