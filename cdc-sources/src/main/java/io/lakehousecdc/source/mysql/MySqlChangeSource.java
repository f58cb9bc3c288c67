package io.lakehousecdc.source.mysql;

import io.lakehousecdc.source.CapturedTable;
import io.lakehousecdc.source.ChangeDeserializer;
import io.lakehousecdc.source.ChangeSource;
import io.lakehousecdc.source.SourceSettings;

import io.lakehousecdc.core.ChangeRecord;
import io.lakehousecdc.core.FailedChange;
import io.lakehousecdc.core.LakeSchema;
import io.lakehousecdc.core.TableId;
import io.lakehousecdc.core.TimeZonePolicy;

import org.apache.flink.cdc.connectors.mysql.source.MySqlSource;
import org.apache.flink.cdc.connectors.mysql.source.MySqlSourceBuilder;
import org.apache.flink.cdc.connectors.mysql.table.StartupOptions;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStreamSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.catalog.ObjectPath;

import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.UnaryOperator;

/**
 * The change stream of a MySQL (or MariaDB) server: an incremental snapshot of the captured
 * tables, then their binlog, as {@link ChangeRecord}s.
 *
 * <pre>{@code
 * MySqlChangeSource clinic = MySqlChangeSource.inspect(settings, List.of(patients), targetZone);
 * clinic.schemas();          // lake schemas, to build the sinks
 * env.fromSource(clinic.source(), WatermarkStrategy.noWatermarks(), "clinic");
 * }</pre>
 */
public final class MySqlChangeSource implements ChangeSource {

    private final MySqlSourceSettings settings;
    private final List<CapturedTable> tables;
    private final TimeZonePolicy zones;
    private final long binlogPositionAtStart;

    private MySqlChangeSource(MySqlSourceSettings settings, MySqlCatalog.Inspection inspection, TimeZonePolicy zones) {
        this.settings = settings;
        this.tables = inspection.tables();
        this.binlogPositionAtStart = inspection.binlogPosition();
        this.zones = zones;
    }

    /**
     * Connects to the server, checks it is ready for CDC and reads the tables' schemas.
     *
     * @param tables the tables to capture, all of this source
     * @param keyOverrides the tables keyed by other columns than their primary key, which they then need not have
     * @param targetZone the zone the lake holds times in
     * @throws io.lakehousecdc.core.SetupException when the server or a table is not ready
     */
    public static MySqlChangeSource inspect(MySqlSourceSettings settings, List<TableId> tables,
            Map<TableId, List<String>> keyOverrides, ZoneId targetZone) {
        TimeZonePolicy zones = TimeZonePolicy.of(settings.common().serverTimeZone(), targetZone);
        return new MySqlChangeSource(settings, new MySqlCatalog(settings).inspect(tables, keyOverrides, zones), zones);
    }

    /** The names of the tables in {@code database}, to choose from when onboarding a whole database. */
    public static List<String> tableNames(MySqlSourceSettings settings, String database) {
        return new MySqlCatalog(settings).tableNames(database);
    }

    @Override
    public List<String> warnings() {
        return List.of();
    }

    @Override
    public ChangeSource evolved(UnaryOperator<CapturedTable> evolve) {
        return new MySqlChangeSource(settings,
                new MySqlCatalog.Inspection(tables.stream().map(evolve).toList(), binlogPositionAtStart), zones);
    }

    @Override
    public List<LakeSchema> schemas() {
        return tables.stream().map(CapturedTable::schema).toList();
    }

    @Override
    public DataStreamSource<ChangeRecord> addTo(StreamExecutionEnvironment env, String name) {
        return env.fromSource(source(), WatermarkStrategy.noWatermarks(), name);
    }

    private MySqlSource<ChangeRecord> source() {
        SourceSettings common = settings.common();
        Properties debezium = common.debeziumProperties(Map.of(
                "decimal.handling.mode", "precise",
                "bigint.unsigned.handling.mode", "precise",
                "time.precision.mode", "adaptive_time_microseconds",
                // The server stores four-digit years; Debezium's adjuster would turn YEAR 0 and
                // dates in years 0-99 into 2000-2069 and 1970-1999.
                "enable.time.adjuster", "false"));
        MySqlSourceBuilder<ChangeRecord> builder = MySqlSource.<ChangeRecord>builder();
        // Snapshot chunks split on the first key column: Flink CDC's own choice for a primary
        // key, and the only way to read a table keyed by an override (one without a primary key).
        for (CapturedTable table : tables) {
            TableId id = table.schema().table();
            builder.chunkKeyColumn(new ObjectPath(id.database(), id.table()), table.schema().primaryKey().get(0));
        }
        return builder
                .hostname(common.hostname())
                .port(common.port())
                .username(common.username())
                .password(common.password())
                .databaseList(tables.stream().map(t -> t.id().database()).distinct().toArray(String[]::new))
                .tableList(tables.stream().map(t -> t.id().sourceName()).toArray(String[]::new))
                .serverTimeZone(common.serverTimeZone().getId())
                .serverId(settings.serverId())
                .connectTimeout(common.connectTimeout())
                .splitSize(common.chunkSize())
                .startupOptions(StartupOptions.initial())
                // A table added to the configuration is snapshotted when the job resumes from a
                // savepoint, while the others continue from their saved positions.
                .scanNewlyAddedTableEnabled(true)
                .includeSchemaChanges(false)
                // Changes made while a chunk is read are replayed after the snapshot instead of
                // being merged into it; the lake's ordering by position makes the replay harmless.
                .skipSnapshotBackfill(true)
                .debeziumProperties(debezium)
                .deserializer(deserializer())
                .build();
    }

    @Override
    public ChangeRecord replay(TableId table, FailedChange failure) {
        return deserializer().replay(table, failure);
    }

    private ChangeDeserializer deserializer() {
        return new ChangeDeserializer(tables, zones, new BinlogPositions(), binlogPositionAtStart);
    }
}
