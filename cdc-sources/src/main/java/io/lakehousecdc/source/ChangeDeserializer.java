package io.lakehousecdc.source;

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

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns Debezium change events of the captured tables into {@link ChangeRecord}s: values in lake
 * types, times in the target zone, and the metadata columns filled. A change that cannot be
 * converted is emitted as a failed record carrying the raw event, never dropped.
 *
 * <p>Ordering: a streamed change's {@code _cdc_seq} is its source position, as the source's
 * {@link Positions} reads it. Snapshot rows all get the position the source had just before
 * the job started reading, less one: below every change read afterwards, above every change an
 * earlier job wrote. Sources run without snapshot backfill, so a change made while a chunk was
 * being read is delivered again after the snapshot; since it sorts after the snapshot row, the
 * lake ends up the same whether or not the snapshot already saw it.
 */
public final class ChangeDeserializer implements DebeziumDeserializationSchema<ChangeRecord> {
    private static final long serialVersionUID = 1L;

    /** Where a source's changes stand, read from Debezium's {@code source} block. */
    public interface Positions extends Serializable {
        /** The sortable position of a streamed change. */
        long of(Struct source);

        /**
         * The name the source block gives the change's table, as {@link TableId#sourceName()}
         * spells it: {@code database.table} or {@code schema.table}.
         */
        String tableName(Struct source);
    }

    private final List<CapturedTable> tables;
    private final TimeZonePolicy zones;
    private final Positions positions;
    private final long snapshotSeq;
    /** Captured tables by Debezium topic; null values mark topics of tables not captured. */
    private transient Map<String, TableState> byTopic;
    private transient ChangePayloads payloads;

    /**
     * @param positionAtStart the source position read just before the job started reading
     */
    public ChangeDeserializer(List<CapturedTable> tables, TimeZonePolicy zones, Positions positions, long positionAtStart) {
        this.tables = List.copyOf(tables);
        this.zones = zones;
        this.positions = positions;
        this.snapshotSeq = positionAtStart - 1;
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
        String code = value.getString("op");
        long position = "r".equals(code) ? snapshotSeq : positions.of(source);
        ChangeRecord change;
        try {
            change = convert(table, op(code), value, source, position);
        } catch (SchemaChangedException e) {
            throw e;
        } catch (RuntimeException e) {
            change = ChangeRecord.failed(table.id, new FailedChange(position, payload(record.topic(), value),
                    identity(value), describe(e), System.currentTimeMillis()));
        }
        // Outside the try: a failure downstream must fail the job, not pass for a bad record.
        out.collect(change);
    }

    /**
     * Converts a change that failed before again, with this deserializer's tables and
     * conversions (which a configuration change may have fixed), at its original position.
     *
     * @return the converted change, or a failed one with the new error
     */
    public ChangeRecord replay(TableId tableId, FailedChange failure) {
        Struct value;
        try {
            value = payloads().read(failure.payload());
        } catch (RuntimeException e) {
            return ChangeRecord.failed(tableId, failure.failedAgain(
                    "the payload is not a change this version can read back (" + describe(e) + "); it stays as it is"));
        }
        Struct source = value.getStruct("source");
        TableState table = tables.stream().filter(t -> t.id().equals(tableId)).findFirst()
                .map(t -> new TableState(t, snapshotSeq)).orElse(null);
        if (table == null) {
            return ChangeRecord.failed(tableId, failure.failedAgain(
                    "table " + tableId + " is no longer captured by this source; add it back to reprocess its events"));
        }
        try {
            return convert(table, op(value.getString("op")), value, source, failure.position());
        } catch (RuntimeException e) {
            return ChangeRecord.failed(tableId, failure.failedAgain(describe(e)));
        }
    }

    /** The change as Kafka Connect JSON; as plain text if even that fails, so that it is still kept. */
    private String payload(String topic, Struct value) {
        try {
            return payloads().write(topic, value);
        } catch (RuntimeException e) {
            return String.valueOf(value);
        }
    }

    /**
     * What tells the change apart from others at its position (snapshot rows share one) and
     * stays the same when it is read again: its row images, without Debezium's processing time.
     */
    private static String identity(Struct value) {
        return image(value, "before") + "/" + image(value, "after");
    }

    private static Object image(Struct value, String name) {
        return value.schema().field(name) == null ? null : value.get(name);
    }

    private ChangePayloads payloads() {
        if (payloads == null) {
            payloads = new ChangePayloads();
        }
        return payloads;
    }

    private ChangeRecord convert(TableState table, ChangeOp op, Struct value, Struct source, long position) {
        Struct image = value.getStruct(op == ChangeOp.DELETE ? "before" : "after");
        GenericRowData row = table.toRow(image, position);
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

    /**
     * The table a record belongs to. Debezium gives every record of a table the same topic name,
     * so the topic is the per-record key and the name lookup runs once per table.
     */
    private TableState table(String topic, Struct source) {
        if (byTopic == null) {
            byTopic = new HashMap<>();
        }
        if (!byTopic.containsKey(topic)) {
            String name = positions.tableName(source);
            byTopic.put(topic, tables.stream()
                    .filter(t -> t.id().sourceName().equals(name))
                    .findFirst()
                    .map(t -> new TableState(t, snapshotSeq))
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

    /**
     * Per-table conversion state. Debezium fields are looked up once per schema, not per row;
     * a schema whose columns differ from the last one's, or from those the table was built
     * with, is a change of columns, unless it is met before the position at which the table was
     * inspected: the inspected columns already include such a change, and the changes before it
     * (read again when the job resumes from an earlier checkpoint) convert with them.
     */
    private static final class TableState {
        final TableId id;
        final LakeSchema schema;
        final StringData sourceId;
        final String[] names;
        final ValueConverter[] converters;
        final long inspectedAt;
        Schema resolvedFor;
        Map<String, String> columns;
        Field[] fields;

        /** @param inspectedAt the last source position before the table's columns were read */
        TableState(CapturedTable table, long inspectedAt) {
            this.id = table.id();
            this.schema = table.schema();
            this.sourceId = StringData.fromString(table.id().sourceId());
            this.names = table.columnNames().toArray(new String[0]);
            this.converters = table.converters().toArray(new ValueConverter[0]);
            this.inspectedAt = inspectedAt;
        }

        GenericRowData toRow(Struct image, long position) {
            if (image.schema() != resolvedFor) {
                resolve(image.schema(), position);
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

        private void resolve(Schema debeziumSchema, long position) {
            Map<String, String> now = new LinkedHashMap<>();
            for (Field field : debeziumSchema.fields()) {
                Schema type = field.schema();
                // The logical type's simple name (Decimal, not its shaded package) keeps the DDL history readable.
                now.put(field.name(), type.type() + (type.name() == null ? "" : " " + type.name().substring(type.name().lastIndexOf('.') + 1))
                        + (type.parameters() == null ? "" : " " + type.parameters()));
            }
            if (position > inspectedAt) {
                List<String> changes = columns == null ? unknownColumns(now) : differences(columns, now);
                if (!changes.isEmpty()) {
                    throw new SchemaChangedException(id, position, changes);
                }
            }
            fields = new Field[names.length];
            for (int i = 0; i < names.length; i++) {
                fields[i] = debeziumSchema.field(names[i]);
            }
            columns = now;
            resolvedFor = debeziumSchema;
        }

        /** How the first schema this job meets differs from the columns it was built for. */
        private List<String> unknownColumns(Map<String, String> now) {
            List<String> known = List.of(names);
            List<String> changes = new ArrayList<>();
            now.keySet().stream().filter(c -> !known.contains(c)).forEach(c -> changes.add("ADD COLUMN " + c));
            for (int i = 0; i < names.length; i++) {
                if (!now.containsKey(names[i]) && !(converters[i] instanceof CapturedTable.KeptColumn)) {
                    changes.add("DROP COLUMN " + names[i]);
                }
            }
            return changes;
        }

        private static List<String> differences(Map<String, String> before, Map<String, String> now) {
            List<String> changes = new ArrayList<>();
            now.forEach((column, type) -> {
                if (!before.containsKey(column)) {
                    changes.add("ADD COLUMN " + column);
                } else if (!before.get(column).equals(type)) {
                    changes.add("ALTER COLUMN " + column + " TYPE (" + before.get(column) + " to " + type + ")");
                }
            });
            before.keySet().stream().filter(c -> !now.containsKey(c)).forEach(c -> changes.add("DROP COLUMN " + c));
            return changes;
        }
    }
}
