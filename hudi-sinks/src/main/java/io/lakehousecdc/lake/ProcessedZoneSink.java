package io.lakehousecdc.lake;

import io.lakehousecdc.core.LakeSchema;
import io.lakehousecdc.core.LakeZone;
import io.lakehousecdc.core.SetupException;

import org.apache.flink.api.dag.Transformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.catalog.CatalogTable;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ObjectIdentifier;
import org.apache.flink.table.catalog.ResolvedCatalogTable;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.catalog.UniqueConstraint;
import org.apache.flink.table.connector.ProviderContext;
import org.apache.flink.table.connector.sink.DataStreamSinkProvider;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.runtime.connector.sink.SinkRuntimeProviderContext;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.utils.TypeConversions;
import org.apache.hudi.common.table.HoodieTableMetaClient;
import org.apache.hudi.table.HoodieTableFactory;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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
        DataStream<RowData> counted = rows
                .map(new LakeWriteMetrics(table.schema().table(), table.path(LakeZone.PROCESSED), LakeStorage.from(lakeConf)),
                        rows.getType())
                .name("metrics: " + table.name())
                .uid(uidPrefix + "/metrics")
                .setParallelism(rows.getParallelism());
        Map<String, String> options = hudiOptions(table, lakeConf, counted.getParallelism());
        ResolvedCatalogTable catalogTable = catalogTable(table.schema(), table.partitionBy(), options);
        FactoryUtil.DefaultDynamicTableContext context = new FactoryUtil.DefaultDynamicTableContext(
                ObjectIdentifier.of("lakehouse", LakeZone.PROCESSED.directory(), table.name()),
                catalogTable,
                Map.of(),
                new Configuration(),
                ProcessedZoneSink.class.getClassLoader(),
                false);
        DataStreamSinkProvider provider = (DataStreamSinkProvider) new HoodieTableFactory()
                .createDynamicTableSink(context)
                .getSinkRuntimeProvider(new SinkRuntimeProviderContext(false));
        ProviderContext uids = name -> Optional.of(uidPrefix + "/" + name);
        DataStreamSink<?> sink = provider.consumeDataStream(uids, counted);
        assignUids(sink.getTransformation(), counted.getTransformation(), uidPrefix);
        return sink;
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
        options.put(FactoryUtil.CONNECTOR.key(), "hudi");
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
        options.putAll(table.hudiOptions());
        return options;
    }

    static ResolvedCatalogTable catalogTable(LakeSchema schema, String partitionBy, Map<String, String> options) {
        RowType rowType = schema.rowType();
        List<Column> columns = rowType.getFields().stream()
                .<Column>map(f -> Column.physical(f.getName(), TypeConversions.fromLogicalToDataType(f.getType())))
                .toList();
        ResolvedSchema resolved = new ResolvedSchema(
                columns, List.of(), UniqueConstraint.primaryKey("pk_" + schema.table().lakeName(), schema.primaryKey()));
        CatalogTable table = CatalogTable.of(
                Schema.newBuilder().fromResolvedSchema(resolved).build(),
                "Processed zone of " + schema.table(),
                partitionBy == null ? List.of() : List.of(partitionBy),
                options);
        return new ResolvedCatalogTable(table, resolved);
    }

    /**
     * Gives every operator Hudi added a uid of our scheme ({@code prefix/<operator>}), replacing
     * Hudi's own, which embed the table path and would change if the lake moved.
     */
    private static void assignUids(Transformation<?> sink, Transformation<?> input, String prefix) {
        Deque<Transformation<?>> pending = new ArrayDeque<>(List.of(sink));
        Set<Transformation<?>> seen = new HashSet<>();
        Map<String, Integer> used = new HashMap<>();
        while (!pending.isEmpty()) {
            Transformation<?> t = pending.pop();
            if (t == input || !seen.add(t)) {
                continue;
            }
            String operator = t.getName().split(":", 2)[0].trim();
            int n = used.merge(operator, 1, Integer::sum);
            t.setUid(prefix + "/" + operator + (n == 1 ? "" : "#" + n));
            pending.addAll(t.getInputs());
        }
    }
}
