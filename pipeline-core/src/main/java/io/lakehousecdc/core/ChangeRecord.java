package io.lakehousecdc.core;

import org.apache.flink.table.data.GenericRowData;

/**
 * One change of one source row, already in lake form, or the reason it could not be put in it.
 *
 * <p>{@code row} is laid out by the table's {@link LakeSchema}: the source columns in lake types
 * followed by the metadata columns, all filled. It holds the after image, or the before image for
 * a delete, so that a delete still carries its key and partition values.
 *
 * @param table the table the change belongs to; one shared instance per table
 * @param op what happened
 * @param row the lake row; null when the change failed conversion
 * @param failure why the change could not be converted, with its raw payload; null on success
 */
public record ChangeRecord(TableId table, ChangeOp op, GenericRowData row, FailedChange failure) {

    public static ChangeRecord converted(TableId table, ChangeOp op, GenericRowData row) {
        return new ChangeRecord(table, op, row, null);
    }

    public static ChangeRecord failed(TableId table, FailedChange failure) {
        return new ChangeRecord(table, null, null, failure);
    }

    public boolean isFailed() {
        return failure != null;
    }
}
