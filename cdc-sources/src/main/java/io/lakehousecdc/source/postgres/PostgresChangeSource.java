package io.lakehousecdc.source.postgres;

import io.lakehousecdc.core.ChangeRecord;
import io.lakehousecdc.core.FailedChange;
import io.lakehousecdc.core.LakeSchema;
import io.lakehousecdc.core.TableId;
import io.lakehousecdc.core.TimeZonePolicy;
import io.lakehousecdc.source.CapturedTable;
import io.lakehousecdc.source.ChangeDeserializer;
import io.lakehousecdc.source.ChangeSource;
import io.lakehousecdc.source.SourceSettings;

import org.apache.flink.cdc.connectors.base.options.StartupOptions;
import org.apache.flink.cdc.connectors.postgres.source.config.PostgresSourceConfigFactory;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStreamSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.UnaryOperator;

/**
 * The change stream of a PostgreSQL database through logical decoding ({@code pgoutput}): an
 * incremental snapshot of the captured tables, then their WAL, as {@link ChangeRecord}s. The
 * slot's confirmed position advances only after a checkpoint has made the changes durable, and
 * heartbeats keep it moving while the tables are idle.
 */
public final class PostgresChangeSource implements ChangeSource {

    private final PostgresSourceSettings settings;
    private final PostgresCatalog.Inspection inspection;
    private final TimeZonePolicy zones;

    private PostgresChangeSource(PostgresSourceSettings settings, PostgresCatalog.Inspection inspection, TimeZonePolicy zones) {
        this.settings = settings;
        this.inspection = inspection;
        this.zones = zones;
    }

    /**
     * Connects, checks the database is ready for logical decoding, makes sure the publication
     * covers the tables, and reads their schemas.
     *
     * @param keyOverrides the tables keyed by other columns than their primary key, which they then need not have
     * @throws io.lakehousecdc.core.SetupException when the database or a table is not ready
     */
    public static PostgresChangeSource inspect(PostgresSourceSettings settings, List<TableId> tables,
            Map<TableId, List<String>> keyOverrides, ZoneId targetZone) {
        TimeZonePolicy zones = TimeZonePolicy.of(settings.common().serverTimeZone(), targetZone);
        return new PostgresChangeSource(settings, new PostgresCatalog(settings).inspect(tables, keyOverrides, zones), zones);
    }

    /** The names of the tables in {@code schema}, to choose from when onboarding a whole schema. */
    public static List<String> tableNames(PostgresSourceSettings settings, String schema) {
        return new PostgresCatalog(settings).tableNames(schema);
    }

    @Override
    public List<LakeSchema> schemas() {
        return inspection.tables().stream().map(CapturedTable::schema).toList();
    }

    @Override
    public List<String> warnings() {
        return inspection.warnings();
    }

    @Override
    public ChangeSource evolved(UnaryOperator<CapturedTable> evolve) {
        return new PostgresChangeSource(settings, new PostgresCatalog.Inspection(inspection.tables().stream().map(evolve).toList(),
                inspection.walPosition(), inspection.warnings()), zones);
    }

    @Override
    public DataStreamSource<ChangeRecord> addTo(StreamExecutionEnvironment env, String name) {
        return env.fromSource(source(), WatermarkStrategy.noWatermarks(), name);
    }

    private ResumeSafePostgresSource<ChangeRecord> source() {
        SourceSettings common = settings.common();
        Properties debezium = common.debeziumProperties(Map.of(
                "decimal.handling.mode", "precise",
                "time.precision.mode", "adaptive_time_microseconds",
                "binary.handling.mode", "bytes",
                // ISO-8601 text keeps months, days and time apart; the numeric mode counts a month as 30 days.
                "interval.handling.mode", "string",
                "publication.name", settings.publication(),
                // The publication is checked (and created when allowed) before the job starts.
                "publication.autocreate.mode", "disabled"));
        List<CapturedTable> tables = inspection.tables();
        PostgresSourceConfigFactory config = new PostgresSourceConfigFactory();
        config.hostname(common.hostname())
                .port(common.port())
                .tableList(tables.stream().map(t -> t.id().sourceName()).toArray(String[]::new))
                .username(common.username())
                .password(common.password())
                .connectTimeout(common.connectTimeout())
                .splitSize(common.chunkSize())
                .startupOptions(StartupOptions.initial())
                // A table added to the configuration is snapshotted when the job resumes from a
                // savepoint, while the others continue from their saved positions.
                .scanNewlyAddedTableEnabled(true)
                // As for MySQL: changes made while a chunk is read are replayed after it.
                .skipSnapshotBackfill(true)
                .debeziumProperties(debezium);
        config.database(settings.database());
        config.schemaList(tables.stream().map(t -> t.id().schema()).distinct().toArray(String[]::new));
        config.slotName(settings.slotName());
        config.decodingPluginName("pgoutput");
        config.heartbeatInterval(settings.heartbeatInterval());
        return new ResumeSafePostgresSource<>(config, deserializer());
    }

    @Override
    public ChangeRecord replay(TableId table, FailedChange failure) {
        return deserializer().replay(table, failure);
    }

    private ChangeDeserializer deserializer() {
        return new ChangeDeserializer(inspection.tables(), zones, new LsnPositions(), inspection.walPosition());
    }
}
