package io.lakehousecdc.app.failed;

import io.lakehousecdc.core.FailedChange;
import io.lakehousecdc.core.TableId;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.sink.RichSinkFunction;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Keeps changes that could not be converted as JSON lines under
 * {@code <lake>/_failed_events/<source>/}, one file per writer and run, synced to storage on
 * every checkpoint so that nothing acknowledged by a checkpoint is lost.
 */
public final class FailedEventsFileSink extends RichSinkFunction<Tuple2<TableId, FailedChange>>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    /** The directory under the lake's base path that holds a directory per source. */
    static final String DIRECTORY = "_failed_events";

    private final String directory;
    private transient ObjectMapper json;
    private transient FSDataOutputStream out;

    public FailedEventsFileSink(String lakeBasePath, String sourceId) {
        String base = lakeBasePath.endsWith("/") ? lakeBasePath : lakeBasePath + "/";
        this.directory = base + DIRECTORY + "/" + sourceId;
    }

    @Override
    public void invoke(Tuple2<TableId, FailedChange> event, Context context) throws IOException {
        FailedChange failure = event.f1;
        ObjectNode line = json().createObjectNode()
                .put("table", event.f0.lakeName())
                .put("source_table", event.f0.toString())
                .put("position", failure.position())
                .put("error", failure.error())
                .put("failed_at", Instant.ofEpochMilli(failure.failedAtMillis()).toString())
                .put("payload", failure.payload());
        out().write((json.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws IOException {
        if (out != null) {
            out.flush();
            out.sync();
        }
    }

    @Override
    public void initializeState(FunctionInitializationContext context) {}

    @Override
    public void close() throws IOException {
        if (out != null) {
            out.close();
        }
    }

    private ObjectMapper json() {
        if (json == null) {
            json = new ObjectMapper();
        }
        return json;
    }

    private FSDataOutputStream out() throws IOException {
        if (out == null) {
            Path file = new Path(directory, "part-" + getRuntimeContext().getIndexOfThisSubtask() + "-"
                    + System.currentTimeMillis() + ".jsonl");
            out = FileSystem.get(file.toUri()).create(file, FileSystem.WriteMode.NO_OVERWRITE);
        }
        return out;
    }
}
