package io.lakehousecdc.app.backfill;

import io.lakehousecdc.core.LakeSchema;
import io.lakehousecdc.core.LakeZone;
import io.lakehousecdc.core.SetupException;
import io.lakehousecdc.lake.LakeCatalog;
import io.lakehousecdc.lake.LakeStorage;
import io.lakehousecdc.lake.LakeTable;
import io.lakehousecdc.lake.ProcessedZoneSink;
import io.lakehousecdc.lake.TableIndex;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.utils.TypeConversions;
import org.apache.flink.types.RowKind;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.math.BigInteger;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Rebuilds a processed-zone table from its raw-zone change log with a batch job: the latest
 * change of every key, by source position, becomes the key's row, or removes it when that
 * change is a delete. Rows keep their metadata columns as the change log holds them, so a
 * rebuilt table equals the one the streaming job wrote.
 *
 * <p>From scratch, the current table is moved aside first and put back if the rebuild fails.
 * From an instant, the changes committed to the change log since then are applied to the
 * current table; a key whose stored row is newer keeps it, since Hudi orders a key's versions
 * by {@code _cdc_seq} too.
 */
public final class Backfill {

    private static final String INSTANT_DIGITS = "\\d{17}";

    private final LakeTable table;
    private final Configuration global;
    private final LakeStorage storage;

    public Backfill(LakeTable table, Configuration global) {
        this.table = table;
        this.global = global;
        this.storage = LakeStorage.from(global);
    }

    /** What a rebuild did. */
    public record Outcome(long rowsWritten, String replacedTableKeptAt) {}

    /**
     * @param fromInstant the first raw-zone instant whose changes to apply, or null to rebuild
     *     the table from the whole change log
     */
    public Outcome run(String fromInstant) throws Exception {
        String rawPath = table.path(LakeZone.RAW);
        if (!table.rawZone()) {
            throw new SetupException("Table " + table.name() + " keeps no raw zone (raw-zone: false), so there is nothing"
                    + " to rebuild it from: turn raw-zone on; its change log starts with the changes after that");
        }
        if (table.index() == TableIndex.STATE) {
            throw new SetupException("Table " + table.name() + " has index-type state, whose index lives in the job's state"
                    + " and would not know the rebuilt files: set index-type bloom (the index is then reloaded from the"
                    + " table's files whenever the job starts), then backfill");
        }
        if (LakeCatalog.writeCommits(rawPath, storage).isEmpty()) {
            throw new SetupException("The raw zone of " + table.name() + " at " + rawPath + " has no commit yet:"
                    + " run the pipeline with raw-zone on first");
        }
        if (fromInstant != null && !fromInstant.matches(INSTANT_DIGITS)) {
            throw new SetupException("--from '" + fromInstant + "' is not an instant: give one of 17 digits as listed by"
                    + " 'lakehouse query --commits " + table.name() + "_raw'");
        }

        String processedPath = table.path(LakeZone.PROCESSED);
        Path replaced = fromInstant == null ? moveAside(processedPath) : null;
        try {
            long rows = rewrite(rawPath, fromInstant);
            return new Outcome(rows, replaced == null ? null : replaced.toString());
        } catch (Exception e) {
            if (replaced != null) {
                putBack(replaced, processedPath);
            }
            throw e;
        }
    }

    private long rewrite(String rawPath, String fromInstant) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(new Configuration());
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        env.setParallelism(1);
        StreamTableEnvironment tables = StreamTableEnvironment.create(env);
        // "after" is exclusive; the instant just before the first one to apply makes it inclusive.
        String after = fromInstant == null ? null
                : String.format("%017d", new BigInteger(fromInstant).subtract(BigInteger.ONE));
        LakeCatalog.register(tables, "changes", rawPath, new LakeCatalog.ReadWindow(after, null), storage);

        LakeSchema schema = table.schema();
        String columns = schema.rowType().getFieldNames().stream().map(Backfill::quoted).collect(Collectors.joining(", "));
        String key = schema.primaryKey().stream().map(Backfill::quoted).collect(Collectors.joining(", "));
        String latestPerKey = "SELECT " + columns + " FROM (SELECT " + columns + ", ROW_NUMBER() OVER (PARTITION BY " + key
                + " ORDER BY " + quoted(LakeSchema.SEQ) + " DESC) AS version FROM changes) WHERE version = 1"
                // A fresh table has nothing to delete.
                + (fromInstant == null ? " AND " + quoted(LakeSchema.OP) + " <> 'd'" : "");
        DataStream<RowData> latest = tables.toDataStream(tables.sqlQuery(latestPerKey),
                TypeConversions.fromLogicalToDataType(schema.rowType()).bridgedTo(RowData.class));
        int opIndex = schema.metadataOffset();
        DataStream<RowData> rows = latest
                .map(row -> {
                    row.setRowKind(row.getString(opIndex).toString().equals("d") ? RowKind.DELETE : RowKind.INSERT);
                    return row;
                }, latest.getType())
                .name("changes to rows: " + table.name());
        ProcessedZoneSink.writeBounded(rows, table, global, "backfill/" + table.name());
        Set<String> before = LakeCatalog.writeCommits(table.path(LakeZone.PROCESSED), storage).stream()
                .map(LakeCatalog.Commit::instant).collect(Collectors.toSet());
        env.execute("backfill " + table.name());
        return LakeCatalog.writeCommits(table.path(LakeZone.PROCESSED), storage).stream()
                .filter(c -> !before.contains(c.instant()))
                .mapToLong(LakeCatalog.Commit::changes).sum();
    }

    private static String quoted(String column) {
        return "`" + column.replace("`", "``") + "`";
    }

    /** Moves the table's directory to a sibling named for this moment; null when there is none. */
    private Path moveAside(String path) throws IOException {
        Path current = new Path(path);
        FileSystem fs = current.getFileSystem(storage.hadoopConfiguration());
        if (!fs.exists(current)) {
            return null;
        }
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss"));
        Path aside = new Path(current.getParent(), current.getName() + ".before-backfill-" + stamp);
        if (!fs.rename(current, aside)) {
            throw new IOException("Cannot move " + current + " aside to " + aside);
        }
        return aside;
    }

    private void putBack(Path aside, String path) throws IOException {
        Path current = new Path(path);
        FileSystem fs = current.getFileSystem(storage.hadoopConfiguration());
        fs.delete(current, true);
        fs.rename(aside, current);
    }
}
