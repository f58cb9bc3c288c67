package io.lakehousecdc.lake;

import io.lakehousecdc.core.LakeSchema;
import io.lakehousecdc.core.SetupException;
import io.lakehousecdc.core.TableId;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.types.logical.BooleanType;
import org.apache.flink.table.types.logical.IntType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.TimestampType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProcessedZoneSinkTest {

    private static final LakeSchema SCHEMA = LakeSchema.of(TableId.mysql("clinic", "clinic", "visits"), List.of(
            new RowType.RowField("id", new IntType(false)),
            new RowType.RowField("updated_at", new TimestampType(3)),
            new RowType.RowField("paid", new BooleanType())), List.of("id"));

    private static LakeTable table(TableIndex index, String ordering, Duration retention, Map<String, String> hudi) {
        return new LakeTable(SCHEMA, "file:///lake", LakeOptions.TableType.MERGE_ON_READ, null, hudi, index, ordering, retention, true);
    }

    @Test
    void theTablesSettingsAndTheLakesAreMergedIntoTheWriteOptions() {
        Configuration lake = new Configuration();
        lake.setString("pipeline.checkpoint-interval", "1min");
        lake.setString("lake.s3.endpoint", "http://127.0.0.1:9000");
        lake.setString("lake.bucket-count", "8");
        Map<String, String> options = ProcessedZoneSink.hudiOptions(
                table(TableIndex.BUCKET, null, Duration.ofMinutes(30), Map.of()), lake, 2);
        assertThat(options).containsEntry("precombine.field", LakeSchema.SEQ)
                .containsEntry("index.type", "BUCKET")
                .containsEntry("hoodie.bucket.index.num.buckets", "8")
                .containsEntry("clean.retain_commits", String.valueOf(31 + 7 + 1))
                .containsEntry("hadoop.fs.s3a.endpoint", "http://127.0.0.1:9000");
    }

    @Test
    void hudiOptionsOfTheTableWinOverDerivedOnes() {
        Map<String, String> options = ProcessedZoneSink.hudiOptions(
                table(TableIndex.STATE, null, null, Map.of("clean.retain_commits", "99")), new Configuration(), 1);
        assertThat(options).containsEntry("clean.retain_commits", "99");
    }

    @Test
    void anOrderingColumnBecomesThePrecombineField() {
        Map<String, String> options = ProcessedZoneSink.hudiOptions(
                table(TableIndex.STATE, "updated_at", null, Map.of()), new Configuration(), 1);
        assertThat(options).containsEntry("precombine.field", "updated_at").containsEntry("write.precombine", "true");
    }

    @Test
    void anOrderingColumnMustExistAndOrderChanges() {
        assertThatThrownBy(() -> table(TableIndex.STATE, "nope", null, Map.of()))
                .isInstanceOf(SetupException.class)
                .hasMessage("ordering-column of clinic.visits names column 'nope', which the table does not have:"
                        + " fix it in the table's settings");
        assertThatThrownBy(() -> table(TableIndex.STATE, "paid", null, Map.of()))
                .isInstanceOf(SetupException.class)
                .hasMessage("ordering-column of clinic.visits names column 'paid' of type BOOLEAN, which does not order changes:"
                        + " use a number, date/time or text column, or unset it");
    }
}
