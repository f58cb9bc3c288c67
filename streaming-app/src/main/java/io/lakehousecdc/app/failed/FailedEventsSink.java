package io.lakehousecdc.app.failed;

import io.lakehousecdc.core.FailedChange;
import io.lakehousecdc.core.TableId;

import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.sink.RichSinkFunction;

import java.util.ArrayList;
import java.util.List;

/**
 * Hands a source's failed changes to the failed-events store, all of a checkpoint's at once
 * before the checkpoint completes: a checkpoint never acknowledges a change that is neither in
 * the lake nor in the store. Replayed after a failure, a change keeps its id and is stored once.
 */
public final class FailedEventsSink extends RichSinkFunction<Tuple2<TableId, FailedChange>> implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    private final FailedEventStore.Location location;
    private final String sourceId;
    private transient List<FailedEvent> pending;

    public FailedEventsSink(FailedEventStore.Location location, String sourceId) {
        this.location = location;
        this.sourceId = sourceId;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) {
        pending = new ArrayList<>();
    }

    @Override
    public void invoke(Tuple2<TableId, FailedChange> failure, Context context) {
        pending.add(FailedEvent.of(sourceId, failure.f0, failure.f1));
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) {
        flush();
    }

    @Override
    public void finish() {
        flush();
    }

    private void flush() {
        if (!pending.isEmpty()) {
            try (FailedEventStore store = location.open()) {
                store.append(pending);
            }
            pending.clear();
        }
    }
}
