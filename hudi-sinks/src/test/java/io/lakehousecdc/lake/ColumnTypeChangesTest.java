package io.lakehousecdc.lake;

import org.apache.flink.table.types.logical.ArrayType;
import org.apache.flink.table.types.logical.BigIntType;
import org.apache.flink.table.types.logical.DecimalType;
import org.apache.flink.table.types.logical.DoubleType;
import org.apache.flink.table.types.logical.FloatType;
import org.apache.flink.table.types.logical.IntType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.TimestampType;
import org.apache.flink.table.types.logical.VarCharType;
import org.apache.hudi.org.apache.avro.Schema;
import org.apache.hudi.util.AvroSchemaConverter;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Which changes of a column's type leave the files a lake table already has readable. */
class ColumnTypeChangesTest {

    /** The column as Hudi writes it: a field of the table's record, nullable. */
    private static Schema written(LogicalType type) {
        RowType row = new RowType(false, List.of(new RowType.RowField("c", type)));
        return AvroSchemaConverter.convertToSchema(row, "hoodie.t.t_record").getField("c").schema();
    }

    @Test
    void widerIntegersAndFloatsAndTheSameTypeAreReadable() {
        assertThat(ProcessedZoneSink.readableAs(written(new IntType()), new BigIntType())).isTrue();
        assertThat(ProcessedZoneSink.readableAs(written(new FloatType()), new DoubleType())).isTrue();
        assertThat(ProcessedZoneSink.readableAs(written(new DecimalType(38, 2)), new DecimalType(38, 2))).isTrue();
        assertThat(ProcessedZoneSink.readableAs(written(new VarCharType(20)), new VarCharType(VarCharType.MAX_LENGTH))).isTrue();
        assertThat(ProcessedZoneSink.readableAs(written(new IntType(true)), new IntType(false))).as("nullability aside").isTrue();
    }

    @Test
    void narrowerTypesOtherDecimalsAndOtherUnitsAreNot() {
        assertThat(ProcessedZoneSink.readableAs(written(new BigIntType()), new IntType())).isFalse();
        assertThat(ProcessedZoneSink.readableAs(written(new DecimalType(6, 2)), new DecimalType(10, 2)))
                .as("another fixed size").isFalse();
        assertThat(ProcessedZoneSink.readableAs(written(new DecimalType(38, 2)), new DecimalType(38, 3)))
                .as("another scale shifts every value").isFalse();
        assertThat(ProcessedZoneSink.readableAs(written(new TimestampType(3)), new TimestampType(6)))
                .as("milliseconds read as microseconds").isFalse();
        assertThat(ProcessedZoneSink.readableAs(written(new IntType()), new VarCharType(VarCharType.MAX_LENGTH))).isFalse();
        assertThat(ProcessedZoneSink.readableAs(written(new ArrayType(new TimestampType(3))), new ArrayType(new TimestampType(6))))
                .as("inside an array too").isFalse();
        assertThat(ProcessedZoneSink.readableAs(written(new ArrayType(new IntType())), new ArrayType(new BigIntType()))).isTrue();
    }
}
