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

        SourceRecord moved = ResumeSafePostgresSource.beforeCommitEnd(heartbeat, Map.of("lsn", "1000", "lsn_proc", "1000"));

        assertThat(moved.sourceOffset()).isEqualTo(Map.of("lsn", 1_200L, "lsn_proc", 1_199L, "lsn_commit", 1_200L, "txId", 7L));
        assertThat(SourceRecordUtils.isHeartbeatEvent(moved)).isTrue();
        assertThat(moved.sourcePartition()).isEqualTo(heartbeat.sourcePartition());
        assertThat(moved.value()).isSameAs(heartbeat.value());
        assertThat(heartbeat.sourceOffset().get("lsn_proc")).as("the original record is left as it was").isEqualTo(1_200L);
        assertThat(ResumeSafePostgresSource.beforeCommitEnd(heartbeat, Map.of("lsn", "1200", "lsn_proc", "1199")))
                .as("the next heartbeat while idle").isNotSameAs(heartbeat);
        assertThat(ResumeSafePostgresSource.beforeCommitEnd(heartbeat, Map.of("lsn", "900")))
                .as("the first commit after the snapshot").isNotSameAs(heartbeat);
    }

    @Test
    void aHeartbeatAtAChangeKeepsItsPosition() {
        // The first change of a transaction that began where the last commit ended has the commit's LSN,
        // and the split saves that change's position before the heartbeat comes.
        SourceRecord atAdjacentChange = heartbeat(Map.of("lsn", 1_200L, "lsn_proc", 1_200L, "lsn_commit", 1_200L, "txId", 8L));
        SourceRecord inTransaction = heartbeat(Map.of("lsn", 1_300L, "lsn_proc", 1_300L, "lsn_commit", 1_200L));
        SourceRecord alreadyMoved = heartbeat(Map.of("lsn", 1_200L, "lsn_proc", 1_199L, "lsn_commit", 1_200L));
        SourceRecord fromSnapshot = heartbeat(Map.of("lsn", 1_000L));

        Map<String, String> changeAt1200 = Map.of("lsn", "1200", "lsn_proc", "1200", "lsn_commit", "1200", "txId", "8");
        assertThat(ResumeSafePostgresSource.beforeCommitEnd(atAdjacentChange, changeAt1200)).isSameAs(atAdjacentChange);
        assertThat(ResumeSafePostgresSource.beforeCommitEnd(inTransaction, Map.of())).isSameAs(inTransaction);
        assertThat(ResumeSafePostgresSource.beforeCommitEnd(alreadyMoved, Map.of())).isSameAs(alreadyMoved);
        assertThat(ResumeSafePostgresSource.beforeCommitEnd(fromSnapshot, Map.of())).isSameAs(fromSnapshot);
    }

    private static SourceRecord heartbeat(Map<String, Long> offset) {
        return new SourceRecord(Map.of("server", "pharmacy"), offset, "__debezium-heartbeat.pharmacy", null, HEARTBEAT,
                new Struct(HEARTBEAT).put("ts_ms", 1L));
    }
}
