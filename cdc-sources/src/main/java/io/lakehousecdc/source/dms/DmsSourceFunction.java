package io.lakehousecdc.source.dms;

import io.lakehousecdc.core.ChangeRecord;
import io.lakehousecdc.core.FailedChange;
import io.lakehousecdc.core.TimeZonePolicy;

import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.source.RichSourceFunction;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Follows the DMS raw zone: lists each table's directory every poll interval, and reads the
 * CSV and Parquet files it has not read yet, full-load files first, then change files in name order (DMS names
 * them by time, and date folders sort the same way). The names of the files read are kept in
 * Flink state, and a file's records are emitted and the file marked read under the checkpoint
 * lock, so every file is read exactly once across failures and restarts. Late files in older
 * folders are picked up; files are never moved or deleted. A file or row that cannot be read
 * becomes a failed record naming the file and line; the other files and tables go on.
 */
final class DmsSourceFunction extends RichSourceFunction<ChangeRecord> implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    private final DmsSourceSettings settings;
    private final List<DmsTable> tables;
    private final TimeZonePolicy zones;
    private transient Set<String> readFiles;
    private transient ListState<String> readFilesState;
    private volatile boolean running = true;

    DmsSourceFunction(DmsSourceSettings settings, List<DmsTable> tables, TimeZonePolicy zones) {
        this.settings = settings;
        this.tables = List.copyOf(tables);
        this.zones = zones;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        readFilesState = context.getOperatorStateStore()
                .getListState(new ListStateDescriptor<>("dms-files-read", String.class));
        readFiles = new HashSet<>();
        for (String file : readFilesState.get()) {
            readFiles.add(file);
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        readFilesState.update(new ArrayList<>(readFiles));
    }

    @Override
    public void run(SourceContext<ChangeRecord> ctx) throws Exception {
        try (RawZone zone = settings.openZone()) {
            while (running) {
                for (DmsTable table : tables) {
                    for (String file : newFiles(zone, table)) {
                        if (!running) {
                            return;
                        }
                        read(zone, table, file, ctx);
                    }
                }
                sleep(settings.pollInterval().toMillis());
            }
        }
    }

    private List<String> newFiles(RawZone zone, DmsTable table) throws IOException {
        return zone.list(table.directory()).stream()
                .filter(f -> !readFiles.contains(f) && (f.endsWith(".csv") || f.endsWith(".parquet")))
                .sorted(Comparator.comparing((String f) -> !DmsRows.isFullLoad(f)).thenComparing(f -> f))
                .toList();
    }

    private void read(RawZone zone, DmsTable table, String file, SourceContext<ChangeRecord> ctx) throws InterruptedException {
        DmsRows rows = new DmsRows(table, settings, zones, file);
        synchronized (ctx.getCheckpointLock()) {
            try (DmsRecords records = open(zone, file)) {
                int row = 0;
                for (Object[] fields = records.next(); fields != null; fields = records.next()) {
                    ctx.collect(rows.toChange(fields, records.position(), row++));
                }
            } catch (IOException e) {
                ctx.collect(ChangeRecord.failed(table.id(), new FailedChange(0, file, file,
                        file + ": cannot be read to the end: " + e.getMessage(), System.currentTimeMillis())));
            }
            readFiles.add(file);
        }
    }

    private static DmsRecords open(RawZone zone, String file) throws IOException {
        InputStream in = zone.open(file);
        return file.endsWith(".parquet")
                ? new ParquetRecords(in)
                : new CsvRecords(new InputStreamReader(in, StandardCharsets.UTF_8));
    }

    private void sleep(long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (running && System.currentTimeMillis() < deadline) {
            Thread.sleep(Math.min(200, Math.max(1, deadline - System.currentTimeMillis())));
        }
    }

    @Override
    public void cancel() {
        running = false;
    }
}
