package io.lakehousecdc.source.postgres;

import org.apache.flink.cdc.connectors.base.config.SourceConfig;
import org.apache.flink.cdc.connectors.base.source.meta.offset.OffsetFactory;
import org.apache.flink.cdc.connectors.base.source.meta.split.SourceRecords;
import org.apache.flink.cdc.connectors.base.source.meta.split.SourceSplitState;
import org.apache.flink.cdc.connectors.base.source.metrics.SourceReaderMetrics;
import org.apache.flink.cdc.connectors.base.source.reader.IncrementalSourceRecordEmitter;
import org.apache.flink.cdc.connectors.base.utils.SourceRecordUtils;
import org.apache.flink.cdc.connectors.postgres.source.PostgresDialect;
import org.apache.flink.cdc.connectors.postgres.source.PostgresSourceBuilder;
import org.apache.flink.cdc.connectors.postgres.source.config.PostgresSourceConfigFactory;
import org.apache.flink.cdc.connectors.postgres.source.offset.PostgresOffsetFactory;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.source.SourceRecord;
import org.apache.flink.cdc.debezium.DebeziumDeserializationSchema;

import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.connector.base.source.reader.RecordEmitter;

import java.util.HashMap;
import java.util.Map;

/**
 * Flink CDC's incremental PostgreSQL source, with one change: a heartbeat that follows a commit
 * saves a position just before that commit's end instead of at it.
 *
 * <p>On resume, Debezium 1.9 looks for the saved position in the WAL and drops every message up
 * to the one after it. A commit's position is where its record ends. When nothing else was
 * written in between, the next transaction begins right there, and its BEGIN and first change
 * carry the same LSN, so resuming from the commit's position dropped that change as read
 * (FLINK-39265; Debezium fixed its search in a later major version, DBZ-6204). No message has the
 * LSN one byte earlier (WAL records are 8-byte aligned), so the search then finds the first
 * transaction that commits after the saved commit and resumes at its BEGIN. A change saves its
 * own position, and the position Flink CDC confirms to the slot (the offset's {@code lsn}) is left
 * as it is.
 */
final class ResumeSafePostgresSource<T> extends PostgresSourceBuilder.PostgresIncrementalSource<T> {
    private static final long serialVersionUID = 1L;

    /** Debezium's offset key for the LSN of the last message fully read. */
    static final String PROCESSED_LSN = "lsn_proc";
    /** Debezium's offset key for the LSN at which the last commit read ends. */
    static final String COMMIT_LSN = "lsn_commit";

    /** Built from the config factory: the builder gives no way to choose the record emitter. */
    ResumeSafePostgresSource(PostgresSourceConfigFactory config, DebeziumDeserializationSchema<T> deserializer) {
        super(config, deserializer, new PostgresOffsetFactory(), new PostgresDialect(config.create(0)));
    }

    @Override
    protected RecordEmitter<SourceRecords, T, SourceSplitState> createRecordEmitter(SourceConfig config,
            SourceReaderMetrics metrics) {
        return new Emitter<>(deserializationSchema, metrics, config.isIncludeSchemaChanges(), offsetFactory);
    }

    private static final class Emitter<T> extends IncrementalSourceRecordEmitter<T> {

        Emitter(DebeziumDeserializationSchema<T> deserializer, SourceReaderMetrics metrics, boolean includeSchemaChanges,
                OffsetFactory offsets) {
            super(deserializer, metrics, includeSchemaChanges, offsets);
        }

        @Override
        protected void processElement(SourceRecord element, SourceOutput<T> output, SourceSplitState split)
                throws Exception {
            if (split.isStreamSplitState() && SourceRecordUtils.isHeartbeatEvent(element)) {
                element = beforeCommitEnd(element, split.asStreamSplitState().getStartingOffset().getOffset());
            }
            super.processElement(element, output, split);
        }
    }

    /**
     * The heartbeat with its fully-read position one byte before the end of the commit it follows.
     * It is kept as it is when that position is not a commit's end, or when the split already
     * saves it unmoved: only a change saves that, the first change of a transaction that began
     * where the last commit ended (or a position restored from a savepoint of an earlier build).
     *
     * @param saved the position the stream split saves now
     */
    static SourceRecord beforeCommitEnd(SourceRecord heartbeat, Map<String, String> saved) {
        Map<String, ?> offset = heartbeat.sourceOffset();
        if (!(offset.get(PROCESSED_LSN) instanceof Long commitEnd) || !commitEnd.equals(offset.get(COMMIT_LSN))
                || commitEnd.toString().equals(saved.get(PROCESSED_LSN))) {
            return heartbeat;
        }
        Map<String, Object> moved = new HashMap<>(offset);
        moved.put(PROCESSED_LSN, commitEnd - 1);
        return new SourceRecord(heartbeat.sourcePartition(), moved, heartbeat.topic(), heartbeat.kafkaPartition(),
                heartbeat.keySchema(), heartbeat.key(), heartbeat.valueSchema(), heartbeat.value(), heartbeat.timestamp(),
                heartbeat.headers());
    }
}
