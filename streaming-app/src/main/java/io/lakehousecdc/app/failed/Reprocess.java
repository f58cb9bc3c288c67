package io.lakehousecdc.app.failed;

import io.lakehousecdc.app.config.LakehouseConfig;
import io.lakehousecdc.app.job.PipelineJob;
import io.lakehousecdc.core.ChangeRecord;
import io.lakehousecdc.core.LakeSchema;
import io.lakehousecdc.core.LakeZone;
import io.lakehousecdc.core.SetupException;
import io.lakehousecdc.lake.LakeCatalog;
import io.lakehousecdc.lake.LakeStorage;
import io.lakehousecdc.lake.LakeTable;
import io.lakehousecdc.lake.TableIndex;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.utils.TypeConversions;
import org.apache.flink.util.CloseableIterator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Runs stored failed events through the current configuration's conversion again and writes
 * those that now convert to the lake with a batch job, through the same writers as the
 * streaming job, at their original source positions. A change whose key the raw zone shows
 * changed again later (deleted, say) goes to the raw zone only: the processed table already
 * holds that later state. Events are taken in source order and marked once written, so a
 * second run does nothing. A run that stopped after writing and before marking is made good by
 * the next: the processed zone takes the same change again as the same row, and a change the
 * raw zone already holds is not appended twice. The streaming job must not be running: two
 * writers on one Hudi table roll back each other's commits.
 */
public final class Reprocess {

    /**
     * @param written events written to the lake now
     * @param alreadyInLake events whose change an earlier run had appended to the raw zone but not marked
     * @param superseded events written now to the raw zone only, as their key changed again later
     * @param failingAgain the events that still fail, with their new error
     */
    public record Outcome(int written, int alreadyInLake, int superseded, List<FailedEvent> failingAgain) {}

    private Reprocess() {}

    /**
     * @param table only this lake table's events, or null for all
     * @param since only events that failed at or after this, or null
     */
    public static Outcome run(LakehouseConfig config, String table, Instant since) throws Exception {
        try (FailedEventStore store = FailedEventStores.open(config)) {
            List<FailedEvent> pending = store.list(table, since).stream().filter(e -> !e.reprocessed()).toList();
            if (pending.isEmpty()) {
                return new Outcome(0, 0, 0, List.of());
            }
            PipelineJob job = PipelineJob.prepare(config);
            Map<String, ChangeRecord> converted = new LinkedHashMap<>();
            List<FailedEvent> failingAgain = new ArrayList<>();
            for (FailedEvent event : pending) {
                ChangeRecord change;
                try {
                    change = job.replay(event);
                } catch (SetupException notCaptured) {
                    change = ChangeRecord.failed(null, event.change().failedAgain(notCaptured.getMessage()));
                }
                if (change.isFailed()) {
                    failingAgain.add(new FailedEvent(event.id(), event.source(), event.table(), event.sourceTable(),
                            event.position(), change.failure().error(), event.failedAt(), event.payload(),
                            event.attempts() + 1, null));
                } else {
                    converted.put(event.id(), change);
                }
            }
            if (!failingAgain.isEmpty()) {
                Map<String, String> errors = new LinkedHashMap<>();
                failingAgain.forEach(e -> errors.put(e.id(), e.error()));
                store.failedAgain(errors, Instant.now());
            }
            checkIndexes(job, converted.values());
            RawZoneLook raw = lookInRawZone(job, converted, LakeStorage.from(config.global()));
            List<ChangeRecord> toRaw = converted.entrySet().stream()
                    .filter(e -> !raw.alreadyThere().contains(e.getKey())).map(Map.Entry::getValue).toList();
            List<ChangeRecord> toProcessed = converted.entrySet().stream()
                    .filter(e -> !raw.superseded().contains(e.getKey())).map(Map.Entry::getValue).toList();
            if (!toProcessed.isEmpty() || !toRaw.isEmpty()) {
                StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(new Configuration());
                env.setRuntimeMode(RuntimeExecutionMode.BATCH);
                env.setParallelism(1);
                job.buildReplay(env, toProcessed, toRaw);
                env.execute("reprocess failed events");
            }
            if (!converted.isEmpty()) {
                store.reprocessed(List.copyOf(converted.keySet()), Instant.now());
            }
            int changeLogOnly = (int) raw.superseded().stream().filter(id -> !raw.alreadyThere().contains(id)).count();
            return new Outcome(toRaw.size(), raw.alreadyThere().size(), changeLogOnly, failingAgain);
        }
    }

    /**
     * Refuses tables whose index lives in the job's state: a batch job starts with an empty one
     * and would write keys the table already holds as second rows.
     */
    private static void checkIndexes(PipelineJob job, Collection<ChangeRecord> changes) {
        for (LakeTable table : job.tables()) {
            if (table.index() == TableIndex.STATE && changes.stream().anyMatch(c -> c.table().equals(table.schema().table()))) {
                throw new SetupException("Table " + table.name() + " has index-type state, whose index lives in the"
                        + " streaming job's state, so a reprocess would write its keys again as new rows: set index-type"
                        + " bloom (the index is then read from the table's files), then reprocess");
            }
        }
    }

    /**
     * What the raw zones tell of the converted events, by id.
     *
     * @param alreadyThere events whose change the raw zone holds (keyed by the table's key and the position)
     * @param superseded events whose key the raw zone shows changed at a later position
     */
    private record RawZoneLook(Set<String> alreadyThere, Set<String> superseded) {}

    /**
     * Reads each table's raw zone from the earliest position among its events on. A table
     * without a raw zone tells nothing: its events are written to the processed table as they are.
     */
    private static RawZoneLook lookInRawZone(PipelineJob job, Map<String, ChangeRecord> converted, LakeStorage storage)
            throws Exception {
        RawZoneLook look = new RawZoneLook(new HashSet<>(), new HashSet<>());
        for (LakeTable table : job.tables()) {
            LakeSchema schema = table.schema();
            List<String> names = schema.rowType().getFieldNames();
            int[] keyFields = schema.primaryKey().stream().mapToInt(names::indexOf).toArray();
            RowData.FieldGetter[] changeKey = getters(schema.rowType(), keyFields);
            int seqField = names.indexOf(LakeSchema.SEQ);
            // The table's key, then each event's position: the raw zone keys a change by both.
            Map<List<Object>, Map<Long, String>> byKey = new HashMap<>();
            converted.forEach((id, change) -> {
                if (change.table().equals(schema.table())) {
                    byKey.computeIfAbsent(valuesAt(changeKey, change.row()), k -> new HashMap<>())
                            .put(change.row().getLong(seqField), id);
                }
            });
            if (byKey.isEmpty() || !table.rawZone()
                    || LakeCatalog.writeCommits(table.path(LakeZone.RAW), storage).isEmpty()) {
                continue;
            }
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(new Configuration());
            env.setRuntimeMode(RuntimeExecutionMode.BATCH);
            env.setParallelism(1);
            StreamTableEnvironment tables = StreamTableEnvironment.create(env);
            LakeCatalog.register(tables, "changes", table.path(LakeZone.RAW), storage);
            long earliest = byKey.values().stream().flatMap(events -> events.keySet().stream()).mapToLong(Long::longValue)
                    .min().orElseThrow();
            List<String> keyColumns = new ArrayList<>(schema.primaryKey());
            keyColumns.add(LakeSchema.SEQ);
            RowType keyType = RowType.of(false,
                    keyColumns.stream().map(schema::columnType).toArray(LogicalType[]::new),
                    keyColumns.toArray(String[]::new));
            RowData.FieldGetter[] readKey = getters(keyType, IntStream.range(0, keyFields.length).toArray());
            String columns = keyColumns.stream().map(c -> "`" + c + "`").collect(Collectors.joining(", "));
            // A BIGINT literal: Hudi's filter push-down casts the literal to the column's Java type.
            try (CloseableIterator<RowData> rows = select(tables, "SELECT " + columns + " FROM changes WHERE `"
                    + LakeSchema.SEQ + "` >= CAST(" + earliest + " AS BIGINT)", keyType)) {
                while (rows.hasNext()) {
                    RowData row = rows.next();
                    long position = row.getLong(keyFields.length);
                    byKey.getOrDefault(valuesAt(readKey, row), Map.of()).forEach((eventPosition, eventId) -> {
                        if (eventPosition == position) {
                            look.alreadyThere().add(eventId);
                        } else if (eventPosition < position) {
                            look.superseded().add(eventId);
                        }
                    });
                }
            }
        }
        return look;
    }

    private static CloseableIterator<RowData> select(StreamTableEnvironment tables, String sql, RowType rowType) throws Exception {
        DataStream<RowData> rows = tables.toDataStream(tables.sqlQuery(sql),
                TypeConversions.fromLogicalToDataType(rowType).bridgedTo(RowData.class));
        return rows.executeAndCollect();
    }

    private static RowData.FieldGetter[] getters(RowType type, int[] fields) {
        return IntStream.of(fields).mapToObj(field -> RowData.createFieldGetter(type.getTypeAt(field), field))
                .toArray(RowData.FieldGetter[]::new);
    }

    /** The values {@code getters} read from {@code row}, in internal form, comparable across row implementations. */
    private static List<Object> valuesAt(RowData.FieldGetter[] getters, RowData row) {
        List<Object> values = new ArrayList<>(getters.length);
        for (RowData.FieldGetter getter : getters) {
            values.add(getter.getFieldOrNull(row));
        }
        return values;
    }
}
