package io.lakehousecdc.source.mysql;

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
    void fileIndexIsTheNumericSuffix() {
        assertThat(BinlogPositions.fileIndex("mariadb-bin.001234")).isEqualTo(1234);
    }

    @Test
    void positionsBeyondTheEncodingAreRejected() {
        assertThatThrownBy(() -> BinlogPositions.encode(1, 1L << 32, 0)).hasMessageContaining("outside");
    }
}
