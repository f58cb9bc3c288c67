package io.lakehousecdc.app.job;

import io.lakehousecdc.core.ChangeOp;
import io.lakehousecdc.core.ChangeRecord;
import io.lakehousecdc.core.FailedChange;
import io.lakehousecdc.core.LakeSchema;
import io.lakehousecdc.core.TableId;
import io.lakehousecdc.core.TableMetrics;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.types.RowKind;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Splits a source's change records into one stream of lake rows per table (side outputs), marks
 * deletes as such for the upserting writer, sends changes that failed conversion to the
 * failed-events output, and keeps each table's metrics of the read side ({@link TableMetrics}):
 * changes read, snapshot rows read, failed events, source lag, snapshot completion.
 */
final class ChangeRouter extends ProcessFunction<ChangeRecord, Void> {
    private static final long serialVersionUID = 1L;

    /** Accumulator name prefix; the suffix is the lake table name. */
    static final String CAPTURED = "captured.";

    private final Map<TableId, LakeSchema> schemas;
    private final Map<TableId, OutputTag<RowData>> outputs;
    private final OutputTag<Tuple2<TableId, FailedChange>> failed;
    private final ZoneId lakeZone;
    private final boolean snapshotsEndTogether;
    /** Each table's output and counters, found with one lookup per record. */
    private transient Map<TableId, Route> routes;

    /**
     * @param lakeZone the zone of the lake's wall-clock times, {@code _cdc_ts} among them
     * @param snapshotsEndTogether whether the source streams changes only once every table's
     *     snapshot is done, as Flink CDC does (binlog and WAL reading start after the last
     *     snapshot chunk), rather than table by table, as DMS full loads do
     */
    ChangeRouter(List<LakeSchema> tables, OutputTag<Tuple2<TableId, FailedChange>> failed, ZoneId lakeZone,
            boolean snapshotsEndTogether) {
        this.schemas = new LinkedHashMap<>();
        this.outputs = new LinkedHashMap<>();
        for (LakeSchema schema : tables) {
            schemas.put(schema.table(), schema);
            outputs.put(schema.table(), new OutputTag<>(schema.table().lakeName(), InternalTypeInfo.of(schema.rowType())));
        }
        this.failed = failed;
        this.lakeZone = lakeZone;
        this.snapshotsEndTogether = snapshotsEndTogether;
    }

    /** The side output of {@code table}'s lake rows. */
    OutputTag<RowData> output(TableId table) {
        return outputs.get(table);
    }

    @Override
    public void open(Configuration parameters) {
        routes = new HashMap<>();
        MetricGroup operator = getRuntimeContext().getMetricGroup();
        schemas.forEach((table, schema) -> {
            LongCounter captured = new LongCounter();
            getRuntimeContext().addAccumulator(CAPTURED + table.lakeName(), captured);
            // _cdc_ts follows _cdc_op among the metadata columns.
            Route route = new Route(outputs.get(table), captured, schema.metadataOffset() + 1, lakeZone,
                    TableMetrics.of(operator, table));
            routes.put(table, route);
        });
    }

    @Override
    public void processElement(ChangeRecord change, Context ctx, Collector<Void> out) {
        Route route = routes.get(change.table());
        route.read.inc();
        if (change.isFailed()) {
            route.failed.inc();
            ctx.output(failed, Tuple2.of(change.table(), change.failure()));
            return;
        }
        if (change.op() == ChangeOp.SNAPSHOT) {
            route.snapshotRead.inc();
        } else if (!route.snapshotCompleted) {
            streamingStarted(route);
        }
        GenericRowData row = lakeRow(change);
        route.lastCommitWallMillis.lazySet(row.getTimestamp(route.commitTimeField, 3).getMillisecond());
        ctx.output(route.output, row);
        route.captured.add(1L);
    }

    /** A converted change as its table's writers take it: a delete deletes the key, anything else upserts it. */
    static GenericRowData lakeRow(ChangeRecord change) {
        GenericRowData row = change.row();
        row.setRowKind(change.op() == ChangeOp.DELETE ? RowKind.DELETE : RowKind.INSERT);
        return row;
    }

    /** Runs once per table (or once per source), at its first streamed change. */
    private void streamingStarted(Route first) {
        if (snapshotsEndTogether) {
            routes.values().forEach(r -> r.snapshotCompleted = true);
        } else {
            first.snapshotCompleted = true;
        }
    }

    /** A table's output and the metrics of its changes; the gauges are read by the metric reporter's thread. */
    private static final class Route {
        private static final long NO_CHANGE_YET = Long.MIN_VALUE;

        final OutputTag<RowData> output;
        final LongCounter captured;
        final int commitTimeField;
        final ZoneId lakeZone;
        final Counter read;
        final Counter snapshotRead;
        final Counter failed;
        /**
         * {@code _cdc_ts} of the last change, as the lake's wall-clock epoch millis. Written per
         * record with a release store (lazySet): atomic and seen by the reporter thread, without
         * the full fence a volatile write costs; turned into an instant only when read.
         */
        final AtomicLong lastCommitWallMillis = new AtomicLong(NO_CHANGE_YET);
        /**
         * Not restored after a restart: until the first streamed change after it, the gauge
         * says 0 even when the snapshot ended in an earlier run.
         */
        volatile boolean snapshotCompleted;

        Route(OutputTag<RowData> output, LongCounter captured, int commitTimeField, ZoneId lakeZone, MetricGroup metrics) {
            this.output = output;
            this.captured = captured;
            this.commitTimeField = commitTimeField;
            this.lakeZone = lakeZone;
            this.read = metrics.counter(TableMetrics.RECORDS_READ);
            this.snapshotRead = metrics.counter(TableMetrics.SNAPSHOT_RECORDS_READ);
            this.failed = metrics.counter(TableMetrics.FAILED_EVENTS);
            metrics.gauge(TableMetrics.SOURCE_LAG_MS, (Gauge<Double>) this::sourceLagMillis);
            metrics.gauge(TableMetrics.SNAPSHOT_COMPLETED, (Gauge<Integer>) () -> snapshotCompleted ? 1 : 0);
        }

        /**
         * Now minus the source commit time of the last change; NaN before the first, so that
         * a table without changes yet neither looks fresh nor raises an alert.
         */
        double sourceLagMillis() {
            long wallMillis = lastCommitWallMillis.get();
            if (wallMillis == NO_CHANGE_YET) {
                return Double.NaN;
            }
            LocalDateTime wallClock = LocalDateTime.ofEpochSecond(Math.floorDiv(wallMillis, 1000L), 0, ZoneOffset.UTC);
            long commitMillis = wallMillis - lakeZone.getRules().getOffset(wallClock).getTotalSeconds() * 1000L;
            return System.currentTimeMillis() - commitMillis;
        }
    }
}
