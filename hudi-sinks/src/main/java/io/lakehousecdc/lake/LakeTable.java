package io.lakehousecdc.lake;

import io.lakehousecdc.core.LakeSchema;
import io.lakehousecdc.core.LakeZone;
import io.lakehousecdc.core.SetupException;

import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeFamily;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A lake table to write: its schema, where it lives, how it is stored and partitioned.
 *
 * @param schema the lake schema
 * @param basePath the lake's base path
 * @param type MERGE_ON_READ or COPY_ON_WRITE
 * @param partitionBy a date/time column whose WIB day partitions the table, or null
 * @param hudiOptions extra Hudi options, passed as they are
 * @param index how the writer finds the file of a key
 * @param orderingColumn a column whose highest value wins among the changes of a key, or null for
 *     the source position ({@code _cdc_seq})
 * @param retention how long superseded versions stay readable, or null for {@code lake.retention}
 * @param rawZone whether the table's changes are also kept in its raw-zone change log
 */
public record LakeTable(
        LakeSchema schema, String basePath, LakeOptions.TableType type, String partitionBy, Map<String, String> hudiOptions,
        TableIndex index, String orderingColumn, Duration retention, boolean rawZone)
        implements Serializable {

    public LakeTable {
        hudiOptions = Map.copyOf(hudiOptions);
        if (orderingColumn != null) {
            LogicalType orderingType;
            try {
                orderingType = schema.columnType(orderingColumn);
            } catch (IllegalArgumentException e) {
                throw new SetupException("ordering-column of " + schema.table().sourceName() + " names column '"
                        + orderingColumn + "', which the table does not have: fix it in the table's settings");
            }
            if (ORDERABLE.stream().noneMatch(orderingType::is)) {
                throw new SetupException("ordering-column of " + schema.table().sourceName() + " names column '"
                        + orderingColumn + "' of type " + orderingType.asSummaryString()
                        + ", which does not order changes: use a number, date/time or text column, or unset it");
            }
        }
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

    /** Types whose values Hudi can compare to pick the latest change of a key. */
    private static final List<LogicalTypeFamily> ORDERABLE =
            List.of(LogicalTypeFamily.NUMERIC, LogicalTypeFamily.DATETIME, LogicalTypeFamily.CHARACTER_STRING);

    /** The column whose highest value wins among the changes of a key. */
    public String precombineField() {
        return orderingColumn != null ? orderingColumn : LakeSchema.SEQ;
    }

    public String name() {
        return schema.table().lakeName();
    }

    public String path(LakeZone zone) {
        return schema.table().lakePath(basePath, zone);
    }
}
