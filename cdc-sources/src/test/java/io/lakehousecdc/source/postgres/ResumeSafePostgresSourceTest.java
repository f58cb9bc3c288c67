package io.lakehousecdc.source.postgres;

import org.apache.flink.cdc.connectors.base.utils.SourceRecordUtils;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Schema;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Struct;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ResumeSafePostgresSourceTest {

    private static final Schema HEARTBEAT = SchemaBuilder.struct().name(SourceRecordUtils.SCHEMA_HEARTBEAT_EVENT_KEY_NAME)
            .field("ts_ms", Schema.INT64_SCHEMA).build();

    @Test
    void aHeartbeatAfterACommitSavesAPositionJustBeforeTheCommitEnds() {
        // After a commit Debezium's offset names its end three times over.
        SourceRecord heartbeat = heartbeat(Map.of("lsn", 1_200L, "lsn_proc", 1_200L, "lsn_commit", 1_200L, "txId", 7L));
        assertThat(SourceRecordUtils.isHeartbeatEvent(heartbeat)).isTrue();

        SourceRecord moved = ResumeSafePostgresSource.beforeCommitEnd(heartbeat, 1_000L);

        assertThat(moved.sourceOffset()).isEqualTo(Map.of("lsn", 1_200L, "lsn_proc", 1_199L, "lsn_commit", 1_200L, "txId", 7L));
        assertThat(SourceRecordUtils.isHeartbeatEvent(moved)).isTrue();
        assertThat(moved.sourcePartition()).isEqualTo(heartbeat.sourcePartition());
        assertThat(moved.value()).isSameAs(heartbeat.value());
        assertThat(heartbeat.sourceOffset().get("lsn_proc")).as("the original record is left as it was").isEqualTo(1_200L);
        assertThat(ResumeSafePostgresSource.beforeCommitEnd(heartbeat, null)).as("nothing passed on since a restore")
                .isNotSameAs(heartbeat);
    }

    @Test
    void aHeartbeatAtAChangeKeepsItsPosition() {
        // The first change of a transaction that began where the last commit ended has the commit's LSN.
        SourceRecord atAdjacentChange = heartbeat(Map.of("lsn", 1_200L, "lsn_proc", 1_200L, "lsn_commit", 1_200L, "txId", 8L));
        SourceRecord inTransaction = heartbeat(Map.of("lsn", 1_300L, "lsn_proc", 1_300L, "lsn_commit", 1_200L));
        SourceRecord alreadyMoved = heartbeat(Map.of("lsn", 1_200L, "lsn_proc", 1_199L, "lsn_commit", 1_200L));
        SourceRecord fromSnapshot = heartbeat(Map.of("lsn", 1_000L));

        assertThat(ResumeSafePostgresSource.beforeCommitEnd(atAdjacentChange, 1_200L)).isSameAs(atAdjacentChange);
        assertThat(ResumeSafePostgresSource.beforeCommitEnd(inTransaction, 1_300L)).isSameAs(inTransaction);
        assertThat(ResumeSafePostgresSource.beforeCommitEnd(alreadyMoved, null)).isSameAs(alreadyMoved);
        assertThat(ResumeSafePostgresSource.beforeCommitEnd(fromSnapshot, null)).isSameAs(fromSnapshot);
    }

    private static SourceRecord heartbeat(Map<String, Long> offset) {
        return new SourceRecord(Map.of("server", "pharmacy"), offset, "__debezium-heartbeat.pharmacy", null, HEARTBEAT,
                new Struct(HEARTBEAT).put("ts_ms", 1L));
    }
}
