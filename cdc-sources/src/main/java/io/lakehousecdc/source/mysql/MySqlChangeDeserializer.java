package io.lakehousecdc.source.mysql;

import io.lakehousecdc.core.ChangeOp;
import io.lakehousecdc.core.ChangeRecord;
import io.lakehousecdc.core.FailedChange;
import io.lakehousecdc.core.LakeSchema;
import io.lakehousecdc.core.TableId;
import io.lakehousecdc.core.TimeZonePolicy;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Field;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Schema;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Struct;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.source.SourceRecord;
import org.apache.flink.cdc.debezium.DebeziumDeserializationSchema;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.util.Collector;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns Debezium change events of the captured tables into {@link ChangeRecord}s: values in lake
 * types, times in the target zone, and the metadata columns filled. A change that cannot be
 * converted is emitted as a failed record carrying the raw event, never dropped.
 *
 * <p>Ordering: a binlog change's {@code _cdc_seq} is its {@link BinlogPositions binlog position}.
 * Snapshot rows all get the position the binlog had just before the job started reading, less
 * one: below every change read afterwards, above every change an earlier job wrote. The source
 * runs without snapshot backfill, so a change made while a chunk was being read is delivered
 * again after the snapshot; since it sorts after the snapshot row, the lake ends up the same
 * whether or not the snapshot already saw it.
 */
final class MySqlChangeDeserializer implements DebeziumDeserializationSchema<ChangeRecord> {
    private static final long serialVersionUID = 1L;

    private final List<MySqlTable> tables;
    private final TimeZonePolicy zones;
    private final long snapshotSeq;
    /** Captured tables by Debezium topic; null values mark topics of tables not captured. */
    private transient Map<String, TableState> byTopic;
    private transient String lastBinlogFile;
    private transient long lastBinlogIndex;

    MySqlChangeDeserializer(List<MySqlTable> tables, TimeZonePolicy zones, long binlogPositionAtStart) {
        this.tables = List.copyOf(tables);
        this.zones = zones;
        this.snapshotSeq = binlogPositionAtStart - 1;
    }

    @Override
    public void deserialize(SourceRecord record, Collector<ChangeRecord> out) {
        if (!(record.value() instanceof Struct value) || value.schema().field("op") == null) {
            return; // heartbeats, transaction markers: nothing to write
        }
        Struct source = value.getStruct("source");
        TableState table = table(record.topic(), source);
        if (table == null) {
            return;
        }
        long position = "r".equals(value.getString("op")) ? snapshotSeq : position(source);
        try {
            out.collect(convert(table, value, source, position));
        } catch (RuntimeException e) {
            out.collect(ChangeRecord.failed(table.id,
                    new FailedChange(position, String.valueOf(value), describe(e), System.currentTimeMillis())));
        }
    }

    private ChangeRecord convert(TableState table, Struct value, Struct source, long position) {
        ChangeOp op = op(value.getString("op"));
        Struct image = value.getStruct(op == ChangeOp.DELETE ? "before" : "after");
        GenericRowData row = table.toRow(image);
        int meta = table.schema.metadataOffset();
        long now = System.currentTimeMillis();
        Long commitMillis = source.getInt64("ts_ms");
        row.setField(meta, op.codeData());
        row.setField(meta + 1, zones.instantMillisToTarget(commitMillis == null || commitMillis == 0 ? now : commitMillis));
        row.setField(meta + 2, position);
        row.setField(meta + 3, table.sourceId);
        row.setField(meta + 4, zones.instantMillisToTarget(now));
        return ChangeRecord.converted(table.id, op, row);
    }

    private static ChangeOp op(String code) {
        switch (code) {
            case "r":
                return ChangeOp.SNAPSHOT;
            case "c":
                return ChangeOp.INSERT;
            case "u":
                return ChangeOp.UPDATE;
            case "d":
                return ChangeOp.DELETE;
            default:
                throw new IllegalArgumentException("unknown operation '" + code + "'");
        }
    }

    private long position(Struct source) {
        String file = source.getString("file");
        Long pos = source.getInt64("pos");
        Integer row = source.getInt32("row");
        if (file == null || file.isEmpty() || pos == null) {
            return 0L;
        }
        if (!file.equals(lastBinlogFile)) {
            lastBinlogIndex = BinlogPositions.fileIndex(file);
            lastBinlogFile = file;
        }
        return BinlogPositions.encode(lastBinlogIndex, pos, row == null ? 0 : row);
    }

    /**
     * The table a record belongs to. Debezium gives every record of a table the same topic name,
     * so the topic is the per-record key and the database/table lookup runs once per table.
     */
    private TableState table(String topic, Struct source) {
        if (byTopic == null) {
            byTopic = new HashMap<>();
        }
        if (!byTopic.containsKey(topic)) {
            String database = source.getString("db");
            String name = source.getString("table");
            byTopic.put(topic, tables.stream()
                    .filter(t -> t.id().database().equals(database) && t.id().table().equals(name))
                    .findFirst()
                    .map(TableState::new)
                    .orElse(null));
        }
        return byTopic.get(topic);
    }

    private static String describe(RuntimeException e) {
        String message = e.getMessage() == null ? e.getClass().getName() : e.getClass().getSimpleName() + ": " + e.getMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    @Override
    public TypeInformation<ChangeRecord> getProducedType() {
        return TypeInformation.of(ChangeRecord.class);
    }

    /** Per-table conversion state; Debezium fields are looked up once per schema, not per row. */
    private static final class TableState {
        final TableId id;
        final LakeSchema schema;
        final StringData sourceId;
        final String[] names;
        final ValueConverter[] converters;
        Schema resolvedFor;
        Field[] fields;

        TableState(MySqlTable table) {
            this.id = table.id();
            this.schema = table.schema();
            this.sourceId = StringData.fromString(table.id().sourceId());
            this.names = table.columnNames().toArray(new String[0]);
            this.converters = table.converters().toArray(new ValueConverter[0]);
        }

        GenericRowData toRow(Struct image) {
            if (image.schema() != resolvedFor) {
                resolve(image.schema());
            }
            GenericRowData row = new GenericRowData(schema.arity());
            for (int i = 0; i < names.length; i++) {
                Field field = fields[i];
                Object raw = field == null ? null : image.get(field);
                if (raw != null) {
                    try {
                        row.setField(i, converters[i].convert(raw));
                    } catch (RuntimeException e) {
                        throw new IllegalArgumentException("column " + names[i] + ": " + describe(e), e);
                    }
                }
            }
            return row;
        }

        private void resolve(Schema debeziumSchema) {
            fields = new Field[names.length];
            for (int i = 0; i < names.length; i++) {
                fields[i] = debeziumSchema.field(names[i]);
            }
            resolvedFor = debeziumSchema;
        }
    }
}
