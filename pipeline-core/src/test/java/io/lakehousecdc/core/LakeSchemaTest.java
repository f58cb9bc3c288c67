package io.lakehousecdc.core;

import org.apache.flink.table.types.logical.BigIntType;
import org.apache.flink.table.types.logical.IntType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.VarCharType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LakeSchemaTest {

    private final TableId table = TableId.mysql("clinic", "clinic", "patients");
    private final List<RowType.RowField> columns = List.of(
            new RowType.RowField("id", new IntType(false)), new RowType.RowField("name", new VarCharType(100)));

    @Test
    void metadataColumnsFollowTheSourceColumns() {
        LakeSchema schema = LakeSchema.of(table, columns, List.of("id"));
        assertThat(schema.rowType().getFieldNames())
                .containsExactly("id", "name", "_cdc_op", "_cdc_ts", "_cdc_seq", "_cdc_source", "_ingested_at");
        assertThat(schema.metadataOffset()).isEqualTo(2);
        assertThat(schema.arity()).isEqualTo(7);
        assertThat(schema.columnType(LakeSchema.SEQ)).isEqualTo(new BigIntType(false));
    }

    @Test
    void aKeyIsRequiredAndMustBeAColumn() {
        assertThatThrownBy(() -> LakeSchema.of(table, columns, List.of())).hasMessageContaining("no primary key");
        assertThatThrownBy(() -> LakeSchema.of(table, columns, List.of("nope"))).hasMessageContaining("nope");
    }
}
