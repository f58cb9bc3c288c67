package io.lakehousecdc.core;

import org.apache.flink.table.types.logical.BigIntType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.TimestampType;
import org.apache.flink.table.types.logical.VarCharType;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The shape of a lake table: the source columns in lake types, then the metadata columns
 * {@code _cdc_op}, {@code _cdc_ts}, {@code _cdc_seq}, {@code _cdc_source}, {@code _ingested_at}.
 */
public final class LakeSchema implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final String OP = "_cdc_op";
    public static final String COMMIT_TS = "_cdc_ts";
    public static final String SEQ = "_cdc_seq";
    public static final String SOURCE = "_cdc_source";
    public static final String INGESTED_AT = "_ingested_at";

    /** Metadata column count; they follow the source columns in this order. */
    public static final int METADATA_COLUMNS = 5;

    /** Whether {@code column} is one of the metadata columns rather than a source column. */
    public static boolean isMetadata(String column) {
        return column.equals(OP) || column.equals(COMMIT_TS) || column.equals(SEQ) || column.equals(SOURCE)
                || column.equals(INGESTED_AT);
    }

    private final TableId table;
    private final RowType rowType;
    private final List<String> primaryKey;
    private final int sourceColumns;

    private LakeSchema(TableId table, RowType rowType, List<String> primaryKey, int sourceColumns) {
        this.table = table;
        this.rowType = rowType;
        this.primaryKey = List.copyOf(primaryKey);
        this.sourceColumns = sourceColumns;
    }

    /**
     * @param sourceFields the source columns, by source name, in lake types
     * @param primaryKey the key columns, a non-empty subset of the source columns
     */
    public static LakeSchema of(TableId table, List<RowType.RowField> sourceFields, List<String> primaryKey) {
        if (primaryKey.isEmpty()) {
            throw new IllegalArgumentException("Table " + table.sourceName() + " has no primary key");
        }
        List<RowType.RowField> fields = new ArrayList<>(sourceFields);
        for (String key : primaryKey) {
            if (sourceFields.stream().noneMatch(f -> f.getName().equals(key))) {
                throw new IllegalArgumentException("Key column " + key + " is not a column of " + table.sourceName());
            }
        }
        fields.add(new RowType.RowField(OP, new VarCharType(false, 1)));
        fields.add(new RowType.RowField(COMMIT_TS, new TimestampType(false, 3)));
        fields.add(new RowType.RowField(SEQ, new BigIntType(false)));
        fields.add(new RowType.RowField(SOURCE, new VarCharType(false, VarCharType.MAX_LENGTH)));
        fields.add(new RowType.RowField(INGESTED_AT, new TimestampType(false, 3)));
        return new LakeSchema(table, new RowType(false, fields), primaryKey, sourceFields.size());
    }

    public TableId table() {
        return table;
    }

    /** Source columns then metadata columns. */
    public RowType rowType() {
        return rowType;
    }

    public List<String> primaryKey() {
        return primaryKey;
    }

    /** Index of the first metadata column, {@code _cdc_op}; the others follow in declared order. */
    public int metadataOffset() {
        return sourceColumns;
    }

    public int arity() {
        return sourceColumns + METADATA_COLUMNS;
    }

    public LogicalType columnType(String name) {
        int index = rowType.getFieldIndex(name);
        if (index < 0) {
            throw new IllegalArgumentException("Table " + table.sourceName() + " has no column " + name);
        }
        return rowType.getTypeAt(index);
    }
}
