package io.lakehousecdc.source.mysql;

import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Schema;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BinlogPositionsTest {

    @Test
    void positionsSortByFileThenEventThenRow() {
        long a = BinlogPositions.encode("mysql-bin.000003", 4_000_000_000L, 9);
        long b = BinlogPositions.encode("mysql-bin.000004", 4, 0);
        long c = BinlogPositions.encode("mysql-bin.000004", 4, 1);
        long d = BinlogPositions.encode("mysql-bin.000004", 120, 0);
        assertThat(a).isLessThan(b);
        assertThat(b).isLessThan(c);
        assertThat(c).isLessThan(d);
    }

    @Test
    void readsTheSourceBlockOfAChange() {
        Schema schema = SchemaBuilder.struct().field("db", Schema.STRING_SCHEMA).field("table", Schema.STRING_SCHEMA)
                .field("file", Schema.STRING_SCHEMA).field("pos", Schema.INT64_SCHEMA).field("row", Schema.INT32_SCHEMA).build();
        Struct source = new Struct(schema).put("db", "clinic").put("table", "visits")
                .put("file", "mysql-bin.000007").put("pos", 1234L).put("row", 3);
        BinlogPositions positions = new BinlogPositions();
        assertThat(positions.of(source)).isEqualTo(7L << 32 | 1237);
        assertThat(positions.tableName(source)).isEqualTo("clinic.visits");
    }

    @Test
    void fileIndexIsTheNumericSuffix() {
        assertThat(BinlogPositions.fileIndex("mariadb-bin.001234")).isEqualTo(1234);
    }

    @Test
    void positionsBeyondTheEncodingAreRejected() {
        assertThatThrownBy(() -> BinlogPositions.encode(1, 1L << 32, 0)).hasMessageContaining("outside");
    }
}
