package io.lakehousecdc.lake;

import io.lakehousecdc.core.LakeSchema;
import io.lakehousecdc.core.LakeZone;

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
 * Attaches Hudi's Flink write pipeline to a stream of lake rows, as Hudi's table connector would
 * for a table declared with these options, but with operator uids of our scheme.
 */
final class HudiWrite {

    private HudiWrite() {}

    /**
     * @param recordKey the columns that identify a row of the Hudi table
     * @param partitionBy a date/time column whose WIB day partitions the table, or null
     * @param options the Hudi table options, {@code path} and {@code table.type} included
     * @param uidPrefix the stable prefix of every operator uid of this pipeline
     * @param bounded whether {@code rows} end, as in a batch job, whose writes commit when they do
     */
    static DataStreamSink<?> attach(DataStream<RowData> rows, LakeSchema schema, RowType rowType, List<String> recordKey,
            String partitionBy, Map<String, String> options, LakeZone zone, String uidPrefix, boolean bounded) {
        ResolvedCatalogTable catalogTable = catalogTable(schema, rowType, recordKey, partitionBy, options);
        FactoryUtil.DefaultDynamicTableContext context = new FactoryUtil.DefaultDynamicTableContext(
                ObjectIdentifier.of("lakehouse", zone.directory(), schema.table().lakeName()),
                catalogTable,
                Map.of(),
                new Configuration(),
                HudiWrite.class.getClassLoader(),
                false);
        DataStreamSinkProvider provider = (DataStreamSinkProvider) new HoodieTableFactory()
                .createDynamicTableSink(context)
                .getSinkRuntimeProvider(new SinkRuntimeProviderContext(bounded));
        ProviderContext uids = name -> Optional.of(uidPrefix + "/" + name);
        DataStreamSink<?> sink = provider.consumeDataStream(uids, rows);
        assignUids(sink.getTransformation(), rows.getTransformation(), uidPrefix);
        return sink;
    }

    /** @param rowType the Hudi table's columns: the lake schema's, and any the zone adds */
    static ResolvedCatalogTable catalogTable(
            LakeSchema schema, RowType rowType, List<String> recordKey, String partitionBy, Map<String, String> options) {
        List<Column> columns = rowType.getFields().stream()
                .<Column>map(f -> Column.physical(f.getName(), TypeConversions.fromLogicalToDataType(f.getType())))
                .toList();
        ResolvedSchema resolved = new ResolvedSchema(
                columns, List.of(), UniqueConstraint.primaryKey("pk_" + schema.table().lakeName(), recordKey));
        CatalogTable table = CatalogTable.of(
                Schema.newBuilder().fromResolvedSchema(resolved).build(),
                "Lake table of " + schema.table(),
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
