package io.lakehousecdc.app.feed;

import io.lakehousecdc.core.ChangeOp;
import io.lakehousecdc.core.LakeSchema;
import io.lakehousecdc.lake.RawZoneLog;
import io.lakehousecdc.lake.RawZoneSink;
import io.lakehousecdc.warehouse.ChangeBatch;
import io.lakehousecdc.warehouse.ChangeBatchSource;
import io.lakehousecdc.warehouse.ChangeRow;

import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.data.conversion.DataStructureConverter;
import org.apache.flink.table.data.conversion.DataStructureConverters;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.utils.TypeConversions;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** The raw-zone change logs of the lake tables the models read, as batches of changes per commit. */
final class RawZoneBatches implements ChangeBatchSource {

    private final Map<String, RawZoneLog> logs;
    private final Map<String, RowReader> readers = new HashMap<>();

    /** @param logs each lake table's change log, by lake name */
    RawZoneBatches(Map<String, RawZoneLog> logs) {
        this.logs = logs;
        logs.forEach((table, log) -> readers.put(table, new RowReader(log.rowType())));
    }

    /** Each lake table's columns, as the change log holds them. */
    Map<String, RowType> lakeTypes() {
        Map<String, RowType> types = new HashMap<>();
        logs.forEach((table, log) -> types.put(table, log.rowType()));
        return types;
    }

    @Override
    public List<String> instantsAfter(String lakeTable, String instant) {
        return log(lakeTable).commitsAfter(instant);
    }

    @Override
    public ChangeBatch read(String lakeTable, String instant) {
        List<ChangeRow> rows = new ArrayList<>();
        log(lakeTable).read(instant, collect(lakeTable, rows));
        return new ChangeBatch(lakeTable, instant, rows);
    }

    @Override
    public Optional<ChangeBatch> readHistory(String lakeTable) {
        RawZoneLog log = log(lakeTable);
        return log.latestCommit().map(latest -> {
            List<ChangeRow> rows = new ArrayList<>();
            log.readAll(latest, collect(lakeTable, rows));
            return new ChangeBatch(lakeTable, latest, rows);
        });
    }

    private RawZoneLog log(String lakeTable) {
        RawZoneLog log = logs.get(lakeTable);
        if (log == null) {
            throw new IllegalArgumentException("No raw-zone change log is open for " + lakeTable);
        }
        return log;
    }

    private Consumer<RowData> collect(String lakeTable, List<ChangeRow> rows) {
        RowReader reader = readers.get(lakeTable);
        return row -> rows.add(reader.toChange(row));
    }

    /** Turns a change-log row into a {@link ChangeRow}; the source columns become Java values. */
    private static final class RowReader {
        private final int op;
        private final int commitTime;
        private final int seq;
        private final List<String> names = new ArrayList<>();
        private final List<RowData.FieldGetter> getters = new ArrayList<>();
        private final List<DataStructureConverter<Object, Object>> converters = new ArrayList<>();

        RowReader(RowType rowType) {
            this.op = rowType.getFieldIndex(LakeSchema.OP);
            this.commitTime = rowType.getFieldIndex(LakeSchema.COMMIT_TS);
            this.seq = rowType.getFieldIndex(LakeSchema.SEQ);
            for (int i = 0; i < rowType.getFieldCount(); i++) {
                String name = rowType.getFieldNames().get(i);
                if (i == op || i == commitTime || i == seq || name.equals(RawZoneSink.DAY_COLUMN)) {
                    continue;
                }
                DataStructureConverter<Object, Object> converter =
                        DataStructureConverters.getConverter(TypeConversions.fromLogicalToDataType(rowType.getTypeAt(i)));
                converter.open(RawZoneBatches.class.getClassLoader());
                names.add(name);
                getters.add(RowData.createFieldGetter(rowType.getTypeAt(i), i));
                converters.add(converter);
            }
        }

        ChangeRow toChange(RowData row) {
            Map<String, Object> values = new HashMap<>(names.size() * 2);
            for (int i = 0; i < names.size(); i++) {
                values.put(names.get(i), converters.get(i).toExternalOrNull(getters.get(i).getFieldOrNull(row)));
            }
            TimestampData committed = row.getTimestamp(commitTime, 3);
            return new ChangeRow(ChangeOp.ofCode(row.getString(op)), row.getLong(seq),
                    committed.toLocalDateTime(), values);
        }
    }
}
