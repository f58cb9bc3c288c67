package io.lakehousecdc.lake;

import io.lakehousecdc.core.LakeSchema;
import io.lakehousecdc.core.LakeZone;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.VarCharType;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a table's changes into its raw-zone Hudi table: an append-only change log holding every
 * change as a row, deletes included (their {@code _cdc_op} is {@code d} and they carry the row as
 * it was), partitioned by the WIB day of the change's commit time: the column {@code _cdc_day}
 * ({@code 2026-11-27}) that follows the lake columns, so that a query for a day reads only that
 * day's files. It is what history (SCD2) and backfills read.
 *
 * <p>The table is COPY_ON_WRITE written with Hudi's append mode: no index lookup, no merging, so
 * a change costs no more than its Parquet encoding. Each checkpoint adds files; background
 * clustering merges the small ones so that file counts stay bounded.
 */
public final class RawZoneSink {

    /** The WIB day of {@code _cdc_ts}, {@code yyyy-MM-dd}: the change log's partition column. */
    public static final String DAY_COLUMN = "_cdc_day";

    /** Suffix of a change log's name in queries and catalogs: {@code <lake name>_raw}. */
    public static final String NAME_SUFFIX = "_raw";

    private RawZoneSink() {}

    /**
     * @param rows the table's lake rows; every one is appended, whatever its RowKind
     * @param uidPrefix the stable prefix of every operator uid of this table's change log
     */
    public static DataStreamSink<?> write(
            DataStream<RowData> rows, LakeTable table, Configuration lakeConf, String uidPrefix) {
        return write(rows, table, lakeConf, uidPrefix, false);
    }

    /**
     * Appends the rows of a batch job, which end: they are committed once, when they do, and
     * clustering is left to the streaming job.
     */
    public static DataStreamSink<?> writeBounded(
            DataStream<RowData> rows, LakeTable table, Configuration lakeConf, String uidPrefix) {
        return write(rows, table, lakeConf, uidPrefix, true);
    }

    private static DataStreamSink<?> write(
            DataStream<RowData> rows, LakeTable table, Configuration lakeConf, String uidPrefix, boolean bounded) {
        Map<String, String> options = hudiOptions(table, lakeConf, rows.getParallelism());
        if (bounded) {
            options.put("clustering.async.enabled", "false");
        } else {
            UnfinishedClusterings.reopen(table.path(LakeZone.RAW), LakeStorage.from(lakeConf));
        }
        DataStream<RowData> days = rows
                .map(new ChangeDay(table.schema().metadataOffset() + 1), InternalTypeInfo.of(rowType(table.schema())))
                .name("change day: " + table.name())
                .uid(uidPrefix + "/day")
                .setParallelism(rows.getParallelism())
                // Hudi's append writer waits for the previous commit before it writes the next
                // checkpoint's rows; in a task of its own that wait does not stall the source.
                .startNewChain();
        return HudiWrite.attach(days, table.schema(), rowType(table.schema()), recordKey(table.schema()), DAY_COLUMN,
                options, LakeZone.RAW, uidPrefix, bounded);
    }

    static RowType rowType(LakeSchema schema) {
        List<RowType.RowField> fields = new ArrayList<>(schema.rowType().getFields());
        fields.add(new RowType.RowField(DAY_COLUMN, new VarCharType(false, 10)));
        return new RowType(false, fields);
    }

    /** A change is identified by its key and its source position; snapshot rows share a position but not a key. */
    static List<String> recordKey(LakeSchema schema) {
        List<String> key = new ArrayList<>(schema.primaryKey());
        key.add(LakeSchema.SEQ);
        return key;
    }

    static Map<String, String> hudiOptions(LakeTable table, Configuration lakeConf, int parallelism) {
        Map<String, String> options = new HashMap<>();
        options.put("connector", "hudi");
        options.put("path", table.path(LakeZone.RAW));
        options.put("table.type", LakeOptions.TableType.COPY_ON_WRITE.name());
        // insert on a COPY_ON_WRITE table is Hudi's append mode: rows are written as they come.
        options.put("write.operation", "insert");
        options.put("precombine.field", LakeSchema.SEQ);
        options.put("write.tasks", String.valueOf(parallelism));
        // The append writer waits for a new instant once it has rows, and an idle checkpoint
        // starts none unless it commits an empty one: the writer would wait forever.
        options.put("hoodie.allow.empty.commit", "true");
        options.put("hoodie.datasource.write.hive_style_partitioning", "true");
        options.put("clustering.tasks", "1");
        options.putAll(TableMaintenance.of(lakeConf, LakeOptions.TableType.COPY_ON_WRITE, table.retention())
                .hudiOptions(TableMaintenance.Writes.APPEND));
        options.putAll(LakeStorage.from(lakeConf).hudiOptions());
        options.putAll(CatalogSync.hudiOptions(lakeConf, table, LakeZone.RAW));
        return options;
    }
}
