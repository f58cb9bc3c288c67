package io.lakehousecdc.lake;

import io.lakehousecdc.core.LakeSchema;
import io.lakehousecdc.core.LakeZone;
import io.lakehousecdc.core.SetupException;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.hudi.common.table.HoodieTableMetaClient;
import org.apache.hudi.common.table.TableSchemaResolver;
import org.apache.hudi.org.apache.avro.Schema;
import org.apache.hudi.org.apache.avro.SchemaCompatibility;
import org.apache.hudi.util.AvroSchemaConverter;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
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
        checkColumnTypes(table, client);
    }

    /**
     * Fails if a column's type changed in a way Hudi cannot read the files already written in:
     * Avro's schema resolution must accept the old type as the new one (INT to BIGINT, FLOAT to
     * DOUBLE), and their logical types must be equal, since a long of milliseconds read as one of
     * microseconds, or a decimal read at another scale, would shift values silently.
     */
    static void checkColumnTypes(LakeTable table, HoodieTableMetaClient client) {
        Schema written;
        try {
            written = new TableSchemaResolver(client).getTableAvroSchema(false);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot read the schema of lake table " + table.name(), e);
        }
        for (RowType.RowField column : table.schema().rowType().getFields()) {
            Schema.Field before = written.getField(column.getName());
            if (before == null) {
                continue;
            }
            if (!readableAs(before.schema(), column.getType())) {
                throw new SetupException("Column " + column.getName() + " of lake table " + table.name() + " holds "
                        + AvroSchemaConverter.convertToDataType(nonNull(before.schema())).getLogicalType().copy(true)
                        + " and the source now gives "
                        + column.getType().copy(true)
                        + ", which Hudi cannot read the table's files as: give the column a type the lake can widen to"
                        + " (a larger integer, DOUBLE, a decimal of the same scale) at the source, or move the table's"
                        + " lake directories aside to capture it anew");
            }
        }
    }

    /** Whether values written as {@code written} read back correctly as {@code now}, nullability aside. */
    static boolean readableAs(Schema written, LogicalType now) {
        Schema was = nonNull(written);
        Schema is = nonNull(AvroSchemaConverter.convertToSchema(now.copy(true), was.getFullName()));
        return SchemaCompatibility.checkReaderWriterCompatibility(is, was).getType()
                == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE
                && sameLogicalTypes(was, is);
    }

    /** Whether every value inside the two schemas, elements and fields included, has the same logical type. */
    private static boolean sameLogicalTypes(Schema was, Schema is) {
        Schema a = nonNull(was);
        Schema b = nonNull(is);
        if (!Objects.equals(a.getLogicalType(), b.getLogicalType())) {
            return false;
        }
        if (a.getType() != b.getType()) {
            return true; // a promotion the compatibility check accepted, such as int to long
        }
        return switch (a.getType()) {
            case ARRAY -> sameLogicalTypes(a.getElementType(), b.getElementType());
            case MAP -> sameLogicalTypes(a.getValueType(), b.getValueType());
            case RECORD -> a.getFields().stream().allMatch(f -> b.getField(f.name()) == null
                    || sameLogicalTypes(f.schema(), b.getField(f.name()).schema()));
            default -> true;
        };
    }

    private static Schema nonNull(Schema schema) {
        return schema.getType() == Schema.Type.UNION
                ? schema.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).findFirst().orElse(schema)
                : schema;
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
        options.putAll(TableMaintenance.of(lakeConf, table.type(), table.retention()).withTableOptions(table.hudiOptions())
                .hudiOptions(TableMaintenance.Writes.UPSERT));
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
