package io.lakehousecdc.source;

import io.lakehousecdc.core.LakeSchema;
import io.lakehousecdc.core.SetupException;
import io.lakehousecdc.core.TableId;

import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.types.logical.DecimalType;
import org.apache.flink.table.types.logical.RowType;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

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

    /**
     * This table with the columns its lake table holds but the source no longer has (dropped
     * there), kept as nullable columns that new changes leave NULL, so that no history is lost;
     * and with the decimal columns of a lake table created before lake decimals took 38 digits
     * kept at the precision they were written with (a value wider is a failed change).
     *
     * @param lakeColumns the lake table's columns, in its order (its metadata columns are skipped)
     */
    public CapturedTable keeping(List<RowType.RowField> lakeColumns) {
        List<RowType.RowField> fields = new ArrayList<>(schema.rowType().getFields().subList(0, schema.metadataOffset()));
        List<String> names = new ArrayList<>(columnNames);
        List<ValueConverter> values = new ArrayList<>(converters);
        for (RowType.RowField column : lakeColumns) {
            int i = names.indexOf(column.getName());
            if (i >= 0 && column.getType() instanceof DecimalType written && fields.get(i).getType() instanceof DecimalType wanted
                    && written.getScale() == wanted.getScale() && written.getPrecision() < wanted.getPrecision()) {
                fields.set(i, new RowType.RowField(column.getName(), written.copy(wanted.isNullable())));
                values.set(i, new NarrowerDecimal(values.get(i), written.getPrecision(), written.getScale()));
            }
        }
        for (RowType.RowField column : lakeColumns) {
            if (!columnNames.contains(column.getName()) && !LakeSchema.isMetadata(column.getName())) {
                fields.add(new RowType.RowField(column.getName(), column.getType().copy(true)));
                names.add(column.getName());
                values.add(new KeptColumn());
            }
        }
        return new CapturedTable(id, LakeSchema.of(id, fields, schema.primaryKey()), names, values);
    }

    /** A decimal at the precision its lake column was written with. */
    static final class NarrowerDecimal implements ValueConverter {
        private static final long serialVersionUID = 1L;

        private final ValueConverter decimal;
        private final int precision;
        private final int scale;

        NarrowerDecimal(ValueConverter decimal, int precision, int scale) {
            this.decimal = decimal;
            this.precision = precision;
            this.scale = scale;
        }

        @Override
        public Object convert(Object value) {
            DecimalData wide = (DecimalData) decimal.convert(value);
            if (wide == null) {
                return null;
            }
            DecimalData narrow = DecimalData.fromBigDecimal(wide.toBigDecimal(), precision, scale);
            if (narrow == null) {
                throw new IllegalArgumentException(value + " does not fit DECIMAL(" + precision + "," + scale
                        + "), the precision the lake table has held this column at since it was created");
            }
            return narrow;
        }
    }

    /** The converter of a column the source dropped: changes no longer carry it, so it stays NULL in them. */
    static final class KeptColumn implements ValueConverter {
        private static final long serialVersionUID = 1L;

        @Override
        public Object convert(Object value) {
            return null;
        }
    }

    /**
     * Fails unless every column of a key override is a column of the table.
     *
     * @param keyOverride the columns that identify a row instead of the primary key; empty for none
     */
    public static void checkKeyOverride(List<String> keyOverride, List<String> columns, String qualified) {
        for (String column : keyOverride) {
            if (!columns.contains(column)) {
                throw new SetupException("Key column '" + column + "' is not a column of table " + qualified
                        + ": name columns of the table in key-columns (" + String.join(", ", columns) + ")");
            }
        }
    }

    /**
     * Maps a table's source columns to the lake. Key columns are NOT NULL; all others nullable,
     * so that a column dropped at the source can keep its history in the lake.
     *
     * @param mapping a column and whether it is nullable to its lake column; throws
     *     IllegalArgumentException for a type it cannot map
     * @throws SetupException naming the column when its type cannot be mapped
     */
    public static <C> CapturedTable map(TableId id, List<C> columns, Function<C, String> name, List<String> key,
            BiFunction<C, Boolean, LakeColumn> mapping) {
        List<RowType.RowField> fields = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<ValueConverter> converters = new ArrayList<>();
        for (C column : columns) {
            String columnName = name.apply(column);
            LakeColumn mapped;
            try {
                mapped = mapping.apply(column, !key.contains(columnName));
            } catch (IllegalArgumentException e) {
                throw new SetupException("Column " + id.sourceName() + "." + columnName + ": " + e.getMessage()
                        + "; exclude the table or change the column type");
            }
            fields.add(new RowType.RowField(columnName, mapped.type()));
            names.add(columnName);
            converters.add(mapped.converter());
        }
        return new CapturedTable(id, LakeSchema.of(id, fields, key), names, converters);
    }
}
