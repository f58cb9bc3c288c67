package io.lakehousecdc.source;

import io.lakehousecdc.core.LakeSchema;
import io.lakehousecdc.core.TableId;

import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.types.logical.DecimalType;
import org.apache.flink.table.types.logical.IntType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.VarCharType;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a captured table takes over from the lake table it writes. */
class CapturedTableTest {

    private static final TableId VISITS = TableId.mysql("clinic", "clinic", "visits");

    private static CapturedTable visits() {
        List<RowType.RowField> fields = List.of(new RowType.RowField("id", new IntType(false)),
                new RowType.RowField("fee", LakeTypes.exactNumber(10, 2, true, v -> v).type()));
        return new CapturedTable(VISITS, LakeSchema.of(VISITS, fields, List.of("id")), List.of("id", "fee"),
                List.of(v -> v, LakeTypes.exactNumber(10, 2, true, v -> v).converter()));
    }

    private static RowType.RowField lake(String name, LogicalType type) {
        return new RowType.RowField(name, type);
    }

    @Test
    void aColumnTheSourceDroppedIsKeptNullable() {
        CapturedTable kept = visits().keeping(List.of(lake("id", new IntType(false)), lake("fee", new DecimalType(38, 2)),
                lake("note", new VarCharType(false, VarCharType.MAX_LENGTH))));

        assertThat(kept.columnNames()).containsExactly("id", "fee", "note");
        assertThat(kept.schema().rowType().getTypeAt(2).isNullable()).isTrue();
        assertThat(kept.converters().get(2).convert("anything")).isNull();
    }

    @Test
    void aDecimalWrittenBeforeLakeDecimalsTookThirtyEightDigitsKeepsItsPrecision() {
        CapturedTable kept = visits().keeping(List.of(lake("id", new IntType(false)), lake("fee", new DecimalType(10, 2))));

        assertThat(kept.schema().rowType().getTypeAt(1)).isEqualTo(new DecimalType(true, 10, 2));
        DecimalData fee = (DecimalData) kept.converters().get(1).convert(new BigDecimal("12345678.90"));
        assertThat(fee.precision()).isEqualTo(10);
        assertThat(fee.toBigDecimal()).isEqualByComparingTo("12345678.90");
        assertThatThrownBy(() -> kept.converters().get(1).convert(new BigDecimal("123456789.00")))
                .hasMessageContaining("does not fit DECIMAL(10,2), the precision the lake table has held this column at");

        CapturedTable otherScale = visits().keeping(List.of(lake("fee", new DecimalType(10, 3))));
        assertThat(otherScale.schema().rowType().getTypeAt(1)).as("left to the type check, which refuses it")
                .isEqualTo(new DecimalType(true, 38, 2));
    }
}
