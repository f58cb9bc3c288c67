package io.lakehousecdc.source.dms;

import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class ParquetRecordsTest {

    /** The schema DMS writes for a change file of a table (id, patient, started_at, fee, visit_day). */
    static final MessageType DMS_SCHEMA = MessageTypeParser.parseMessageType("""
            message visits {
              optional binary Op (STRING);
              optional int64 id;
              optional binary patient (STRING);
              optional int64 started_at (TIMESTAMP(MICROS,false));
              optional fixed_len_byte_array(5) fee (DECIMAL(10,2));
              optional int32 visit_day (DATE);
            }
            """);

    @TempDir
    Path dir;

    /** Writes rows of (op, id, patient, started_at UTC wall-clock, fee, day) as DMS would. */
    static byte[] write(Path file, Object[]... rows) throws IOException {
        SimpleGroupFactory groups = new SimpleGroupFactory(DMS_SCHEMA);
        try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(new org.apache.hadoop.fs.Path(file.toUri()))
                .withType(DMS_SCHEMA).withConf(new Configuration()).build()) {
            for (Object[] row : rows) {
                Group g = groups.newGroup().append("Op", (String) row[0]).append("id", (Long) row[1]);
                if (row[2] != null) {
                    g.append("patient", (String) row[2]);
                }
                LocalDateTime started = (LocalDateTime) row[3];
                g.append("started_at", started.toEpochSecond(ZoneOffset.UTC) * 1_000_000 + started.getNano() / 1000);
                if (row[4] != null) {
                    byte[] unscaled = ((BigDecimal) row[4]).unscaledValue().toByteArray();
                    byte[] fixed = new byte[5];
                    byte pad = (byte) (unscaled[0] < 0 ? -1 : 0);
                    java.util.Arrays.fill(fixed, pad);
                    System.arraycopy(unscaled, 0, fixed, 5 - unscaled.length, unscaled.length);
                    g.append("fee", Binary.fromConstantByteArray(fixed));
                }
                if (row[5] != null) {
                    g.append("visit_day", (int) ((LocalDate) row[5]).toEpochDay());
                }
                writer.write(g);
            }
        }
        return Files.readAllBytes(file);
    }

    @Test
    void readsDmsParquetColumnsAsPlainValuesInOrder() throws IOException {
        Path file = dir.resolve("20240102-100000000.parquet");
        byte[] bytes = write(file,
                new Object[] {"I", 1L, "Ayu", LocalDateTime.parse("2024-01-01T17:30:00.123456"), new BigDecimal("-10.25"),
                        LocalDate.parse("2024-01-01")},
                new Object[] {"D", 2L, null, LocalDateTime.parse("2024-01-01T10:00:00"), null, null});
        try (ParquetRecords records = new ParquetRecords(new java.io.ByteArrayInputStream(bytes))) {
            assertThat(records.next()).containsExactly("I", 1L, "Ayu", LocalDateTime.parse("2024-01-01T17:30:00.123456"),
                    new BigDecimal("-10.25"), LocalDate.parse("2024-01-01"));
            assertThat(records.position()).isEqualTo(1);
            assertThat(records.next()).containsExactly("D", 2L, null, LocalDateTime.parse("2024-01-01T10:00:00"), null, null);
            assertThat(records.next()).isNull();
        }
    }

    @Test
    void aFileThatIsNotParquetIsAnIoError() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> {
            try (ParquetRecords records = new ParquetRecords(new java.io.ByteArrayInputStream("not parquet".getBytes()))) {
                records.next();
            }
        }).isInstanceOf(IOException.class);
    }
}
