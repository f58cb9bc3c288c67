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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Runs stored failed events through the current configuration's conversion again and writes
 * those that now convert to the lake with a batch job, through the same writers as the
 * streaming job, at their original source positions: a key changed again later keeps its later
 * row, since the lake orders a key's versions by position. Events are taken in source order
 * and marked once written, so a second run does nothing. A run that stopped after writing and
 * before marking is made good by the next: the processed zone takes the same change again as
 * the same row, and a change the raw zone already holds is not appended twice. The streaming
 * job must not be running: two writers on one Hudi table roll back each other's commits.
 */
public final class Reprocess {

    /**
     * @param written events written to the lake now
     * @param alreadyInLake events whose change an earlier run had appended to the raw zone but not marked
     * @param failingAgain the events that still fail, with their new error
     */
    public record Outcome(int written, int alreadyInLake, List<FailedEvent> failingAgain) {}

    private Reprocess() {}

    /**
     * @param table only this lake table's events, or null for all
     * @param since only events that failed at or after this, or null
     */
    public static Outcome run(LakehouseConfig config, String table, Instant since) throws Exception {
        try (FailedEventStore store = FailedEventStores.open(config)) {
            List<FailedEvent> pending = store.list(table, since).stream().filter(e -> !e.reprocessed()).toList();
            if (pending.isEmpty()) {
                return new Outcome(0, 0, List.of());
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
            Set<String> alreadyInLake = inRawZone(job, converted, LakeStorage.from(config.global()));
            List<ChangeRecord> toRaw = converted.entrySet().stream()
                    .filter(e -> !alreadyInLake.contains(e.getKey())).map(Map.Entry::getValue).toList();
            if (!converted.isEmpty()) {
                StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(new Configuration());
                env.setRuntimeMode(RuntimeExecutionMode.BATCH);
                env.setParallelism(1);
                job.buildReplay(env, List.copyOf(converted.values()), toRaw);
                env.execute("reprocess failed events");
                store.reprocessed(List.copyOf(converted.keySet()), Instant.now());
            }
            return new Outcome(toRaw.size(), alreadyInLake.size(), failingAgain);
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
     * The ids of the converted events whose change the table's raw zone already holds: the
     * change log keys a change by the table's key and its position.
     */
    private static Set<String> inRawZone(PipelineJob job, Map<String, ChangeRecord> converted, LakeStorage storage) throws Exception {
        Set<String> found = new HashSet<>();
        for (LakeTable table : job.tables()) {
            Map<List<Object>, String> byKey = new LinkedHashMap<>();
            converted.forEach((id, change) -> {
                if (change.table().equals(table.schema().table())) {
                    byKey.put(changeKey(table.schema(), change.row()), id);
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
            LakeSchema schema = table.schema();
            String positions = byKey.keySet().stream().map(k -> String.valueOf(k.get(k.size() - 1)))
                    .distinct().collect(Collectors.joining(", "));
            List<String> keyColumns = new ArrayList<>(schema.primaryKey());
            keyColumns.add(LakeSchema.SEQ);
            RowType keyType = RowType.of(false,
                    keyColumns.stream().map(schema::columnType).toArray(LogicalType[]::new),
                    keyColumns.toArray(String[]::new));
            String columns = keyColumns.stream().map(c -> "`" + c + "`").collect(Collectors.joining(", "));
            try (CloseableIterator<RowData> rows = select(tables, "SELECT " + columns + " FROM changes WHERE `"
                    + LakeSchema.SEQ + "` IN (" + positions + ")", keyType)) {
                while (rows.hasNext()) {
                    String id = byKey.get(keyOf(keyType, rows.next()));
                    if (id != null) {
                        found.add(id);
                    }
                }
            }
        }
        return found;
    }

    private static CloseableIterator<RowData> select(StreamTableEnvironment tables, String sql, RowType rowType) throws Exception {
        DataStream<RowData> rows = tables.toDataStream(tables.sqlQuery(sql),
                TypeConversions.fromLogicalToDataType(rowType).bridgedTo(RowData.class));
        return rows.executeAndCollect();
    }

    /** The key columns and position of a row of {@code keyType}, as {@link #changeKey} gives them. */
    private static List<Object> keyOf(RowType keyType, RowData row) {
        List<Object> key = new ArrayList<>();
        for (int i = 0; i < keyType.getFieldCount(); i++) {
            key.add(RowData.createFieldGetter(keyType.getTypeAt(i), i).getFieldOrNull(row));
        }
        return key;
    }

    /** A change's key columns and its position, in internal form, comparable across row implementations. */
    private static List<Object> changeKey(LakeSchema schema, RowData row) {
        List<Object> key = new ArrayList<>();
        List<String> names = schema.rowType().getFieldNames();
        for (String column : schema.primaryKey()) {
            int index = names.indexOf(column);
            key.add(RowData.createFieldGetter(schema.rowType().getTypeAt(index), index).getFieldOrNull(row));
        }
        key.add(row.getLong(names.indexOf(LakeSchema.SEQ)));
        return key;
    }
}
