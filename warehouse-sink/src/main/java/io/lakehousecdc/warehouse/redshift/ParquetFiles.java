package io.lakehousecdc.warehouse.redshift;

import io.lakehousecdc.warehouse.sql.StagedRows;

import org.apache.flink.table.types.logical.DecimalType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A batch's rows as one Parquet file in memory, in the column order of the staging table:
 * {@code COPY ... FORMAT AS PARQUET} maps columns by position. Times are microseconds, decimals
 * fixed-length two's complement, text UTF-8.
 */
final class ParquetFiles {

    private ParquetFiles() {}

    static byte[] write(StagedRows rows) {
        MessageType schema = schema(rows);
        InMemoryFile file = new InMemoryFile();
        SimpleGroupFactory groups = new SimpleGroupFactory(schema);
        try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(file)
                .withConf(new Configuration(false))
                .withType(schema)
                .withCompressionCodec(CompressionCodecName.SNAPPY)
                .build()) {
            for (Object[] row : rows.rows()) {
                Group group = groups.newGroup();
                for (int i = 0; i < row.length; i++) {
                    if (row[i] != null) {
                        append(group, i, rows.types().get(i), row[i]);
                    }
                }
                writer.write(group);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the staging Parquet file", e);
        }
        return file.bytes.toByteArray();
    }

    static MessageType schema(StagedRows rows) {
        List<Type> fields = new ArrayList<>();
        for (int i = 0; i < rows.columns().size(); i++) {
            fields.add(field(rows.columns().get(i), rows.types().get(i)));
        }
        return new MessageType("staged", fields);
    }

    private static Type field(String name, LogicalType type) {
        return switch (type.getTypeRoot()) {
            case BOOLEAN -> Types.optional(PrimitiveTypeName.BOOLEAN).named(name);
            case TINYINT, SMALLINT -> Types.optional(PrimitiveTypeName.INT32).as(LogicalTypeAnnotation.intType(16, true)).named(name);
            case INTEGER -> Types.optional(PrimitiveTypeName.INT32).named(name);
            case BIGINT -> Types.optional(PrimitiveTypeName.INT64).named(name);
            case FLOAT -> Types.optional(PrimitiveTypeName.FLOAT).named(name);
            case DOUBLE -> Types.optional(PrimitiveTypeName.DOUBLE).named(name);
            case DECIMAL -> {
                DecimalType d = (DecimalType) type;
                yield Types.optional(PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY).length(decimalBytes(d.getPrecision()))
                        .as(LogicalTypeAnnotation.decimalType(d.getScale(), d.getPrecision())).named(name);
            }
            case CHAR, VARCHAR -> Types.optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(name);
            case DATE -> Types.optional(PrimitiveTypeName.INT32).as(LogicalTypeAnnotation.dateType()).named(name);
            case TIME_WITHOUT_TIME_ZONE -> Types.optional(PrimitiveTypeName.INT64)
                    .as(LogicalTypeAnnotation.timeType(false, LogicalTypeAnnotation.TimeUnit.MICROS)).named(name);
            case TIMESTAMP_WITHOUT_TIME_ZONE -> Types.optional(PrimitiveTypeName.INT64)
                    .as(LogicalTypeAnnotation.timestampType(false, LogicalTypeAnnotation.TimeUnit.MICROS)).named(name);
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE -> Types.optional(PrimitiveTypeName.INT64)
                    .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS)).named(name);
            case BINARY, VARBINARY -> Types.optional(PrimitiveTypeName.BINARY).named(name);
            default -> throw new IllegalArgumentException("Lake type " + type + " of column " + name + " cannot be staged as Parquet");
        };
    }

    private static void append(Group group, int field, LogicalType type, Object value) {
        switch (type.getTypeRoot()) {
            case BOOLEAN -> group.add(field, (Boolean) value);
            case TINYINT, SMALLINT, INTEGER -> group.add(field, ((Number) value).intValue());
            case BIGINT -> group.add(field, ((Number) value).longValue());
            case FLOAT -> group.add(field, ((Number) value).floatValue());
            case DOUBLE -> group.add(field, ((Number) value).doubleValue());
            case DECIMAL -> group.add(field, decimal((BigDecimal) value, (DecimalType) type));
            case CHAR, VARCHAR -> group.add(field, Binary.fromString(value.toString()));
            case DATE -> group.add(field, (int) ((LocalDate) value).toEpochDay());
            case TIME_WITHOUT_TIME_ZONE -> group.add(field, ((LocalTime) value).toNanoOfDay() / 1000);
            case TIMESTAMP_WITHOUT_TIME_ZONE -> group.add(field, micros(((LocalDateTime) value).toInstant(ZoneOffset.UTC)));
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE -> group.add(field, micros((Instant) value));
            case BINARY, VARBINARY -> group.add(field, Binary.fromConstantByteArray((byte[]) value));
            default -> throw new IllegalArgumentException("Lake type " + type + " cannot be staged as Parquet");
        }
    }

    private static long micros(Instant instant) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
    }

    /** The fewest bytes whose two's complement holds every unscaled value of the precision. */
    static int decimalBytes(int precision) {
        BigInteger max = BigInteger.TEN.pow(precision);
        return (max.bitLength() + 1 + 7) / 8;
    }

    private static Binary decimal(BigDecimal value, DecimalType type) {
        byte[] unscaled = value.setScale(type.getScale(), RoundingMode.UNNECESSARY).unscaledValue().toByteArray();
        byte[] fixed = new byte[decimalBytes(type.getPrecision())];
        byte pad = (byte) (unscaled[0] < 0 ? -1 : 0);
        Arrays.fill(fixed, 0, fixed.length - unscaled.length, pad);
        System.arraycopy(unscaled, 0, fixed, fixed.length - unscaled.length, unscaled.length);
        return Binary.fromConstantByteArray(fixed);
    }

    /** Parquet's output file over a byte array: the batch is uploaded whole, never written to disk. */
    private static final class InMemoryFile implements OutputFile {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public PositionOutputStream create(long blockSizeHint) {
            return new PositionOutputStream() {
                @Override
                public long getPos() {
                    return bytes.size();
                }

                @Override
                public void write(int b) {
                    bytes.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    bytes.write(b, off, len);
                }
            };
        }

        @Override
        public PositionOutputStream createOrOverwrite(long blockSizeHint) {
            bytes.reset();
            return create(blockSizeHint);
        }

        @Override
        public boolean supportsBlockSize() {
            return false;
        }

        @Override
        public long defaultBlockSize() {
            return 0;
        }
    }
}
