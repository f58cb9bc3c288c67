package io.lakehousecdc.source;

import io.lakehousecdc.core.ChangeOp;
import io.lakehousecdc.core.ChangeRecord;
import io.lakehousecdc.core.FailedChange;
import io.lakehousecdc.core.LakeSchema;
import io.lakehousecdc.core.TableId;
import io.lakehousecdc.core.TimeZonePolicy;

import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Schema;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Struct;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.source.SourceRecord;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.types.logical.BigIntType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.TimestampType;
import org.apache.flink.table.types.logical.VarCharType;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChangeDeserializerTest {

    private static final TimeZonePolicy ZONES = TimeZonePolicy.of(ZoneId.of("UTC"), TimeZonePolicy.WIB);
    private static final TableId VISITS = TableId.mysql("clinic", "clinic", "visits");
    private static final long START = 1000;

    /** Positions as a test source reports them: event position * 10 + row. */
    private static final ChangeDeserializer.Positions POSITIONS = new ChangeDeserializer.Positions() {
        @Override
        public long of(Struct source) {
            return source.getInt64("pos") * 10 + source.getInt32("row");
        }

        @Override
        public String tableName(Struct source) {
            return source.getString("db") + "." + source.getString("table");
        }
    };

    private static final Schema ROW = SchemaBuilder.struct().name("clinic.clinic.visits.Value")
            .field("id", Schema.INT64_SCHEMA)
            .field("started_at", SchemaBuilder.int64().name("io.debezium.time.Timestamp").optional().build())
            .field("note", Schema.OPTIONAL_STRING_SCHEMA)
            .build();
    private static final Schema SOURCE = SchemaBuilder.struct().name("io.debezium.connector.mysql.Source")
            .field("db", Schema.STRING_SCHEMA)
            .field("table", Schema.OPTIONAL_STRING_SCHEMA)
            .field("file", Schema.STRING_SCHEMA)
            .field("pos", Schema.INT64_SCHEMA)
            .field("row", Schema.OPTIONAL_INT32_SCHEMA)
            .field("ts_ms", Schema.INT64_SCHEMA)
            .build();
    private static final Schema ENVELOPE = SchemaBuilder.struct().name("clinic.clinic.visits.Envelope")
            .field("before", SchemaBuilder.struct().name("x").optional().field("id", Schema.INT64_SCHEMA)
                    .field("started_at", SchemaBuilder.int64().name("io.debezium.time.Timestamp").optional().build())
                    .field("note", Schema.OPTIONAL_STRING_SCHEMA).optional().build())
            .field("after", SchemaBuilder.struct().name("y").optional().field("id", Schema.INT64_SCHEMA)
                    .field("started_at", SchemaBuilder.int64().name("io.debezium.time.Timestamp").optional().build())
                    .field("note", Schema.OPTIONAL_STRING_SCHEMA).optional().build())
            .field("source", SOURCE)
            .field("op", Schema.STRING_SCHEMA)
            .build();

    private final ChangeDeserializer deserializer = new ChangeDeserializer(List.of(visitsTable()), ZONES, POSITIONS, START);

    private static CapturedTable visitsTable() {
        List<RowType.RowField> fields = List.of(
                new RowType.RowField("id", new BigIntType(false)),
                new RowType.RowField("started_at", new TimestampType(3)),
                new RowType.RowField("note", new VarCharType(VarCharType.MAX_LENGTH)));
        List<ValueConverter> converters = List.of(
                v -> ((Number) v).longValue(),
                v -> ZONES.wallClockMillisToTarget((Long) v),
                v -> StringData.fromString((String) v));
        return new CapturedTable(VISITS, LakeSchema.of(VISITS, fields, List.of("id")), List.of("id", "started_at", "note"), converters);
    }

    private static Struct image(Schema schema, long id, LocalDateTime startedAtUtc, String note) {
        return new Struct(schema).put("id", id)
                .put("started_at", startedAtUtc == null ? null : startedAtUtc.toInstant(ZoneOffset.UTC).toEpochMilli())
                .put("note", note);
    }

    private static SourceRecord event(String op, Struct before, Struct after, String table, long pos, int row) {
        Struct source = new Struct(SOURCE).put("db", "clinic").put("table", table).put("file", "mysql-bin.000002")
                .put("pos", pos).put("row", row)
                .put("ts_ms", LocalDateTime.parse("2024-01-01T17:00:00").toInstant(ZoneOffset.UTC).toEpochMilli());
        Struct value = new Struct(ENVELOPE).put("before", before).put("after", after).put("source", source).put("op", op);
        return new SourceRecord(Map.of(), Map.of(), "mysql_binlog_source.clinic." + table, null, null, ENVELOPE, value);
    }

    private List<ChangeRecord> deserialize(SourceRecord... records) throws Exception {
        List<ChangeRecord> out = new ArrayList<>();
        Collector<ChangeRecord> collector = new Collector<>() {
            @Override
            public void collect(ChangeRecord record) {
                out.add(record);
            }

            @Override
            public void close() {}
        };
        for (SourceRecord record : records) {
            deserializer.deserialize(record, collector);
        }
        return out;
    }

    @Test
    void anInsertBecomesALakeRowWithMetadata() throws Exception {
        Schema after = ENVELOPE.field("after").schema();
        ChangeRecord change = deserialize(event("c", null,
                image(after, 7, LocalDateTime.parse("2024-01-01T17:30:00"), "first visit"), "visits", 5000, 2)).get(0);

        assertThat(change.op()).isEqualTo(ChangeOp.INSERT);
        GenericRowData row = change.row();
        assertThat(row.getArity()).isEqualTo(8);
        assertThat(row.getLong(0)).isEqualTo(7L);
        assertThat(row.getTimestamp(1, 3).toLocalDateTime()).isEqualTo(LocalDateTime.parse("2024-01-02T00:30:00"));
        assertThat(row.getString(2)).isEqualTo(StringData.fromString("first visit"));
        assertThat(row.getString(3)).isEqualTo(StringData.fromString("c"));
        assertThat(row.getTimestamp(4, 3).toLocalDateTime()).isEqualTo(LocalDateTime.parse("2024-01-02T00:00:00"));
        assertThat(row.getLong(5)).isEqualTo(50_002L);
        assertThat(row.getString(6)).isEqualTo(StringData.fromString("clinic"));
    }

    @Test
    void nullsStayNull() throws Exception {
        Schema after = ENVELOPE.field("after").schema();
        GenericRowData row = deserialize(event("u", null, image(after, 8, null, null), "visits", 6000, 0)).get(0).row();
        assertThat(row.isNullAt(1)).isTrue();
        assertThat(row.isNullAt(2)).isTrue();
    }

    @Test
    void aDeleteCarriesTheBeforeImage() throws Exception {
        Schema before = ENVELOPE.field("before").schema();
        ChangeRecord change = deserialize(event("d",
                image(before, 9, LocalDateTime.parse("2024-01-01T10:00:00"), "gone"), null, "visits", 7000, 0)).get(0);
        assertThat(change.op()).isEqualTo(ChangeOp.DELETE);
        assertThat(change.row().getLong(0)).isEqualTo(9L);
        assertThat(change.row().getString(3)).isEqualTo(StringData.fromString("d"));
    }

    @Test
    void snapshotRowsSortBeforeChangesMadeAfterTheJobStarted() throws Exception {
        Schema after = ENVELOPE.field("after").schema();
        List<ChangeRecord> changes = deserialize(
                event("r", null, image(after, 1, null, "snapshot"), "visits", 0, 0),
                event("u", null, image(after, 1, null, "changed"), "visits", 1000, 0));
        assertThat(changes.get(0).op()).isEqualTo(ChangeOp.SNAPSHOT);
        assertThat(changes.get(0).row().getLong(5)).isLessThan(changes.get(1).row().getLong(5));
    }

    @Test
    void otherTablesAreIgnored() throws Exception {
        Schema after = ENVELOPE.field("after").schema();
        assertThat(deserialize(event("c", null, image(after, 1, null, null), "not_captured", 1, 0))).isEmpty();
    }

    @Test
    void aValueThatCannotBeConvertedBecomesAFailedRecordWithItsPayload() throws Exception {
        Schema broken = SchemaBuilder.struct().name("clinic.clinic.visits.Envelope")
                .field("after", SchemaBuilder.struct().name("y").optional().field("id", Schema.STRING_SCHEMA)
                        .field("started_at", Schema.OPTIONAL_INT64_SCHEMA).field("note", Schema.OPTIONAL_STRING_SCHEMA).build())
                .field("source", SOURCE).field("op", Schema.STRING_SCHEMA).build();
        Struct source = new Struct(SOURCE).put("db", "clinic").put("table", "visits").put("file", "mysql-bin.000002")
                .put("pos", 8000L).put("row", 0).put("ts_ms", 0L);
        Struct value = new Struct(broken).put("after", new Struct(broken.field("after").schema()).put("id", "not-a-number"))
                .put("source", source).put("op", "c");
        ChangeRecord change = deserialize(new SourceRecord(Map.of(), Map.of(), "t", null, null, broken, value)).get(0);
        assertThat(change.isFailed()).isTrue();
        assertThat(change.table()).isEqualTo(VISITS);
        assertThat(change.failure().error()).contains("column id");
        assertThat(change.failure().payload()).contains("not-a-number");
        assertThat(change.failure().position()).isEqualTo(80_000L);
    }

    @Test
    void aFailedChangeIsReplayedThroughTheConversionOfTheFixedConfiguration() throws Exception {
        // The first configuration refuses notes saying "poison"; the fixed one takes them.
        List<ValueConverter> strict = new ArrayList<>(visitsTable().converters());
        strict.set(2, v -> {
            if (v.equals("poison")) {
                throw new IllegalArgumentException("refused");
            }
            return StringData.fromString((String) v);
        });
        CapturedTable refusing = new CapturedTable(VISITS, visitsTable().schema(), visitsTable().columnNames(), strict);
        Schema after = ENVELOPE.field("after").schema();
        SourceRecord update = event("u", null, image(after, 7, LocalDateTime.parse("2024-01-01T17:30:00"), "poison"), "visits", 5000, 2);
        List<ChangeRecord> out = new ArrayList<>();
        new ChangeDeserializer(List.of(refusing), ZONES, POSITIONS, START).deserialize(update, new Collector<>() {
            @Override
            public void collect(ChangeRecord record) {
                out.add(record);
            }

            @Override
            public void close() {}
        });
        ChangeRecord failed = out.get(0);
        assertThat(failed.failure().error()).endsWith("column note: IllegalArgumentException: refused");

        ChangeRecord again = new ChangeDeserializer(List.of(refusing), ZONES, POSITIONS, START).replay(VISITS, failed.failure());
        assertThat(again.isFailed()).isTrue();
        assertThat(again.failure().payload()).isEqualTo(failed.failure().payload());

        ChangeRecord replayed = deserializer.replay(VISITS, failed.failure());
        GenericRowData direct = deserialize(update).get(0).row();
        assertThat(replayed.op()).isEqualTo(ChangeOp.UPDATE);
        for (int field = 0; field < 7; field++) { // all but _ingested_at, the time of each conversion
            assertThat(replayed.row().getField(field)).as("field %d", field).isEqualTo(direct.getField(field));
        }
        assertThat(replayed.row().getLong(5)).isEqualTo(50_002L);

        ChangeRecord unreadable = deserializer.replay(VISITS,
                new FailedChange(1, "Struct{after=Struct{id=1}}", "1", "old", 0));
        assertThat(unreadable.failure().error()).startsWith("the payload is not a change this version can read back");
    }

    @Test
    void aChangeWithNewColumnsStopsTheJobUnlessTheTableWasInspectedAfterIt() throws Exception {
        Schema after = ENVELOPE.field("after").schema();
        Schema wider = SchemaBuilder.struct().name("clinic.clinic.visits.Envelope")
                .field("after", SchemaBuilder.struct().name("z").optional().field("id", Schema.INT64_SCHEMA)
                        .field("started_at", SchemaBuilder.int64().name("io.debezium.time.Timestamp").optional().build())
                        .field("note", Schema.OPTIONAL_STRING_SCHEMA).field("ward", Schema.OPTIONAL_STRING_SCHEMA).build())
                .field("source", SOURCE).field("op", Schema.STRING_SCHEMA).build();
        Struct source = new Struct(SOURCE).put("db", "clinic").put("table", "visits").put("file", "mysql-bin.000002")
                .put("pos", 9000L).put("row", 0).put("ts_ms", 0L);
        Struct value = new Struct(wider).put("after", new Struct(wider.field("after").schema()).put("id", 11L).put("ward", "B"))
                .put("source", source).put("op", "c");
        SourceRecord added = new SourceRecord(Map.of(), Map.of(), "t", null, null, wider, value);

        deserialize(event("c", null, image(after, 10, null, "before"), "visits", 8000, 0));
        assertThatThrownBy(() -> deserialize(added)).isInstanceOfSatisfying(SchemaChangedException.class, e -> {
            assertThat(e.table()).isEqualTo(VISITS);
            assertThat(e.position()).isEqualTo(90_000L);
            assertThat(e.changes()).containsExactly("ADD COLUMN ward");
        });

        // Read again after a rebuild whose inspection came later: the columns of then convert the change.
        List<ChangeRecord> out = new ArrayList<>();
        new ChangeDeserializer(List.of(visitsTable()), ZONES, POSITIONS, 100_000L).deserialize(added, new Collector<>() {
            @Override
            public void collect(ChangeRecord record) {
                out.add(record);
            }

            @Override
            public void close() {}
        });
        assertThat(out.get(0).isFailed()).isFalse();
        assertThat(out.get(0).row().getLong(0)).isEqualTo(11L);
    }
}
