package io.lakehousecdc.lake;

import io.lakehousecdc.core.LakeSchema;
import io.lakehousecdc.core.LakeZone;
import io.lakehousecdc.core.SetupException;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.table.data.RowData;
import org.apache.hudi.common.table.HoodieTableMetaClient;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Writes a table's rows into its processed-zone Hudi table: upserts by primary key, deletes for
 * rows of kind DELETE, {@code _cdc_seq} deciding which change of a key wins, commits on
 * checkpoints, and for MERGE_ON_READ tables compaction in the background.
 */
public final class ProcessedZoneSink {

    private ProcessedZoneSink() {}

    /**
     * Attaches the Hudi write pipeline to {@code rows}, behind an operator that keeps the table's
     * write metrics ({@link LakeWriteMetrics}).
     *
     * @param rows the table's lake rows; RowKind DELETE deletes the key
     * @param uidPrefix the stable prefix of every operator uid of this table's pipeline
     */
    public static DataStreamSink<?> write(
            DataStream<RowData> rows, LakeTable table, Configuration lakeConf, String uidPrefix) {
        return write(rows, table, lakeConf, uidPrefix, false);
    }

    /**
     * Attaches the write pipeline of a batch job to {@code rows}, which end: they are committed
     * once, when they do, and compaction is left to the streaming job.
     */
    public static DataStreamSink<?> writeBounded(
            DataStream<RowData> rows, LakeTable table, Configuration lakeConf, String uidPrefix) {
        return write(rows, table, lakeConf, uidPrefix, true);
    }

    private static DataStreamSink<?> write(
            DataStream<RowData> rows, LakeTable table, Configuration lakeConf, String uidPrefix, boolean bounded) {
        DataStream<RowData> counted = rows
                .map(new LakeWriteMetrics(table.schema().table(), table.path(LakeZone.PROCESSED), LakeStorage.from(lakeConf)),
                        rows.getType())
                .name("metrics: " + table.name())
                .uid(uidPrefix + "/metrics")
                .setParallelism(rows.getParallelism());
        Map<String, String> options = hudiOptions(table, lakeConf, counted.getParallelism());
        return HudiWrite.attach(counted, table.schema(), table.schema().rowType(), table.schema().primaryKey(),
                table.partitionBy(), options, LakeZone.PROCESSED, uidPrefix, bounded);
    }

    /**
     * Fails if the table's existing data rules out its settings: an index that cannot find the
     * keys already written, or an ordering column other than the one the table was created with.
     */
    public static void checkExisting(LakeTable table, Configuration lakeConf) {
        String path = table.path(LakeZone.PROCESSED);
        Optional<HoodieTableMetaClient> existing = LakeCatalog.metaClient(path, LakeStorage.from(lakeConf));
        if (existing.isEmpty()) {
            return;
        }
        HoodieTableMetaClient client = existing.get();
        String created = client.getTableConfig().getPreCombineField();
        if (created != null && !created.equals(table.precombineField())) {
            throw new SetupException("Table " + table.name() + " orders changes by '" + created + "' since it was created, not '"
                    + table.precombineField() + "'; its ordering cannot change: set ordering-column back"
                    + (LakeSchema.SEQ.equals(created) ? " (unset)" : " to " + created) + ", or rewrite it into a new table");
        }
        int buckets = Integer.parseInt(hudiOptions(table, lakeConf, 1).getOrDefault(TableIndex.BUCKETS_OPTION, "0"));
        table.index().checkExisting(client, table.name(), buckets);
    }

    static Map<String, String> hudiOptions(LakeTable table, Configuration lakeConf, int parallelism) {
        int bufferMb = lakeConf.get(LakeOptions.WRITE_BUFFER_MB);
        Map<String, String> options = new HashMap<>();
        options.put("connector", "hudi");
        options.put("path", table.path(LakeZone.PROCESSED));
        options.put("table.type", table.type().name());
        options.put("write.operation", "upsert");
        options.put("precombine.field", table.precombineField());
        // Several changes of one key can meet in one buffer: keep the one with the highest position.
        options.put("write.precombine", "true");
        options.put("write.tasks", String.valueOf(parallelism));
        options.put("write.bucket_assign.tasks", String.valueOf(parallelism));
        options.put("compaction.tasks", "1");
        options.putAll(TableMaintenance.of(lakeConf, table.type(), table.retention()).hudiOptions(TableMaintenance.Writes.UPSERT));
        options.putAll(table.index().hudiOptions(lakeConf.get(LakeOptions.BUCKET_COUNT)));
        options.putAll(LakeStorage.from(lakeConf).hudiOptions());
        int mergeMb = Math.max(16, bufferMb / 4);
        // Hudi sets aside a fixed 100 MiB for its merge reader on top of the merge memory.
        options.put("write.task.max.size", String.valueOf(bufferMb + mergeMb + 100));
        options.put("write.merge.max_memory", String.valueOf(mergeMb));
        options.put("write.batch.size", String.valueOf(Math.max(4, bufferMb / 4)));
        options.put("compaction.max_memory", String.valueOf(Math.max(16, bufferMb / 2)));
        // Partition values are WIB wall-clock values stored as if UTC, so UTC formatting yields the WIB day.
        options.put("write.partition.format", "yyyy-MM-dd");
        options.put("hoodie.datasource.write.hive_style_partitioning", "true");
        options.putAll(CatalogSync.hudiOptions(lakeConf, table, LakeZone.PROCESSED));
        options.putAll(table.hudiOptions());
        return options;
    }
}
