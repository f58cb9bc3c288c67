package io.lakehousecdc.app.job;

import io.lakehousecdc.core.ChangeOp;
import io.lakehousecdc.core.ChangeRecord;
import io.lakehousecdc.core.FailedChange;
import io.lakehousecdc.core.TableId;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.table.data.RowData;
import org.apache.flink.types.RowKind;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import java.util.HashMap;
import java.util.Map;

/**
 * Splits a source's change records into one stream of lake rows per table (side outputs), marks
 * deletes as such for the upserting writer, counts captured rows per table, and sends changes
 * that failed conversion to the failed-events output.
 */
final class ChangeRouter extends ProcessFunction<ChangeRecord, Void> {
    private static final long serialVersionUID = 1L;

    /** Accumulator name prefix; the suffix is the lake table name. */
    static final String CAPTURED = "captured.";

    private final Map<TableId, OutputTag<RowData>> outputs;
    private final OutputTag<Tuple2<TableId, FailedChange>> failed;
    /** Each table's output and captured-row counter, found with one lookup per record. */
    private transient Map<TableId, Route> routes;

    private record Route(OutputTag<RowData> output, LongCounter captured) {}

    ChangeRouter(Map<TableId, OutputTag<RowData>> outputs, OutputTag<Tuple2<TableId, FailedChange>> failed) {
        this.outputs = Map.copyOf(outputs);
        this.failed = failed;
    }

    @Override
    public void open(Configuration parameters) {
        routes = new HashMap<>();
        outputs.forEach((table, output) -> {
            LongCounter counter = new LongCounter();
            getRuntimeContext().addAccumulator(CAPTURED + table.lakeName(), counter);
            routes.put(table, new Route(output, counter));
        });
    }

    @Override
    public void processElement(ChangeRecord change, Context ctx, Collector<Void> out) {
        if (change.isFailed()) {
            ctx.output(failed, Tuple2.of(change.table(), change.failure()));
            return;
        }
        Route route = routes.get(change.table());
        change.row().setRowKind(change.op() == ChangeOp.DELETE ? RowKind.DELETE : RowKind.INSERT);
        ctx.output(route.output(), change.row());
        route.captured().add(1L);
    }
}
