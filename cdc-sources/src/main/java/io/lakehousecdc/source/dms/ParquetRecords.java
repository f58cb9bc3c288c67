package io.lakehousecdc.source.dms;

import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.function.Function;

/**
 * Reads a DMS Parquet file. Parquet needs to seek, so the file is first copied to a local
 * temporary file (deleted on close). Columns are read by position, in the same layout as CSV
 * (Op, commit time, the table's columns, change sequence); each value is turned into the plain
 * Java value of its Parquet type: timestamps as UTC wall-clock {@link LocalDateTime}, decimals as
 * {@link BigDecimal}, dates, times, text, numbers, bytes.
 */
final class ParquetRecords implements DmsRecords {
    private static final long JULIAN_DAY_OF_EPOCH = 2_440_588;

    private final Path copy;
    private final ParquetReader<Group> reader;
    private Function<Group, Object>[] fields;
    private int row;

    ParquetRecords(InputStream in) throws IOException {
        this.copy = Files.createTempFile("lakehouse-dms-", ".parquet");
        try (in) {
            Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
            this.reader = new ParquetReader.Builder<Group>(new LocalFile(copy)) {
                @Override
                protected ReadSupport<Group> getReadSupport() {
                    return new GroupReadSupport();
                }
            }.build();
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(copy);
            throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
    }

    /** Decoding problems, including a column type that is not read, surface as IOExceptions of the file. */
    @Override
    public Object[] next() throws IOException {
        try {
            Group group = reader.read();
            if (group == null) {
                return null;
            }
            row++;
            if (fields == null) {
                fields = extractors(group.getType());
            }
            Object[] values = new Object[fields.length];
            for (int i = 0; i < fields.length; i++) {
                values[i] = fields[i].apply(group);
            }
            return values;
        } catch (RuntimeException e) {
            throw new IOException("row " + (row + 1) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public int position() {
        return row;
    }

    @Override
    public void close() throws IOException {
        try {
            reader.close();
        } finally {
            Files.deleteIfExists(copy);
        }
    }

    @SuppressWarnings("unchecked")
    private static Function<Group, Object>[] extractors(GroupType schema) {
        Function<Group, Object>[] out = new Function[schema.getFieldCount()];
        for (int i = 0; i < out.length; i++) {
            int index = i;
            Function<Group, Object> read = extractor(schema.getType(i));
            out[i] = g -> g.getFieldRepetitionCount(index) == 0 ? null : read.apply(g);
        }
        return out;
    }

    /** How to read field {@code type} of a row, chosen once per file from its Parquet type. */
    private static Function<Group, Object> extractor(Type type) {
        if (!type.isPrimitive()) {
            throw new IllegalArgumentException("column " + type.getName() + " is nested, which DMS does not write");
        }
        PrimitiveType primitive = type.asPrimitiveType();
        String name = type.getName();
        LogicalTypeAnnotation logical = type.getLogicalTypeAnnotation();
        switch (primitive.getPrimitiveTypeName()) {
            case BOOLEAN:
                return g -> g.getBoolean(name, 0);
            case FLOAT:
                return g -> g.getFloat(name, 0);
            case DOUBLE:
                return g -> g.getDouble(name, 0);
            case INT32:
                if (logical instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation) {
                    return g -> LocalDate.ofEpochDay(g.getInteger(name, 0));
                }
                if (logical instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation d) {
                    return g -> BigDecimal.valueOf(g.getInteger(name, 0), d.getScale());
                }
                if (logical instanceof LogicalTypeAnnotation.TimeLogicalTypeAnnotation) {
                    return g -> LocalTime.ofNanoOfDay(g.getInteger(name, 0) * 1_000_000L);
                }
                return g -> g.getInteger(name, 0);
            case INT64:
                if (logical instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation t) {
                    long perSecond = t.getUnit() == LogicalTypeAnnotation.TimeUnit.MILLIS ? 1_000
                            : t.getUnit() == LogicalTypeAnnotation.TimeUnit.MICROS ? 1_000_000 : 1_000_000_000;
                    return g -> {
                        long v = g.getLong(name, 0);
                        return LocalDateTime.ofEpochSecond(Math.floorDiv(v, perSecond),
                                (int) (Math.floorMod(v, perSecond) * (1_000_000_000 / perSecond)), ZoneOffset.UTC);
                    };
                }
                if (logical instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation d) {
                    return g -> BigDecimal.valueOf(g.getLong(name, 0), d.getScale());
                }
                if (logical instanceof LogicalTypeAnnotation.TimeLogicalTypeAnnotation) {
                    return g -> LocalTime.ofNanoOfDay(g.getLong(name, 0) * 1_000L);
                }
                return g -> g.getLong(name, 0);
            case INT96:
                // Legacy Impala/Hive timestamps: nanos of day then Julian day, little-endian.
                return g -> {
                    ByteBuffer bytes = ByteBuffer.wrap(g.getInt96(name, 0).getBytes()).order(ByteOrder.LITTLE_ENDIAN);
                    long nanosOfDay = bytes.getLong();
                    long epochDay = bytes.getInt() - JULIAN_DAY_OF_EPOCH;
                    return LocalDateTime.of(LocalDate.ofEpochDay(epochDay), LocalTime.ofNanoOfDay(nanosOfDay));
                };
            case BINARY:
            case FIXED_LEN_BYTE_ARRAY:
                if (logical instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation d) {
                    return g -> new BigDecimal(new BigInteger(g.getBinary(name, 0).getBytes()), d.getScale());
                }
                if (logical instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
                        || logical instanceof LogicalTypeAnnotation.EnumLogicalTypeAnnotation
                        || logical instanceof LogicalTypeAnnotation.JsonLogicalTypeAnnotation) {
                    return g -> g.getString(name, 0);
                }
                return g -> g.getBinary(name, 0).getBytes();
            default:
                throw new IllegalArgumentException("column " + name + " has Parquet type " + primitive + ", which is not read");
        }
    }

    /** A local file as Parquet's seekable input. */
    private record LocalFile(Path path) implements InputFile {
        @Override
        public long getLength() throws IOException {
            return Files.size(path);
        }

        @Override
        public SeekableInputStream newStream() throws IOException {
            FileChannel channel = new RandomAccessFile(path.toFile(), "r").getChannel();
            return new DelegatingSeekableInputStream(Channels.newInputStream(channel)) {
                @Override
                public long getPos() throws IOException {
                    return channel.position();
                }

                @Override
                public void seek(long newPos) throws IOException {
                    channel.position(newPos);
                }
            };
        }
    }
}
