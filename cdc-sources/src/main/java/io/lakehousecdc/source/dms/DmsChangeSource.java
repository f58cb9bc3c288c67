package io.lakehousecdc.source.dms;

import io.lakehousecdc.core.ChangeRecord;
import io.lakehousecdc.core.FailedChange;
import io.lakehousecdc.core.LakeSchema;
import io.lakehousecdc.core.TableId;
import io.lakehousecdc.core.TimeZonePolicy;
import io.lakehousecdc.source.CapturedTable;
import io.lakehousecdc.source.ChangeSource;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStreamSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.time.ZoneId;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Changes from files AWS DMS writes into an S3 raw zone (or a local directory), CSV without
 * header, laid out as {@code <schema>/<table>/LOAD*.csv} for the full load and timestamp-named
 * files for changes, with or without date folders. A table's {@link TableId} is
 * {@code source, schema, table}: its lake name is {@code <source>_<schema>_<table>}.
 */
public final class DmsChangeSource implements ChangeSource {

    private final DmsSourceSettings settings;
    private final List<DmsTable> tables;
    private final TimeZonePolicy zones;

    private DmsChangeSource(DmsSourceSettings settings, List<DmsTable> tables, TimeZonePolicy zones) {
        this.settings = settings;
        this.tables = tables;
        this.zones = zones;
    }

    /**
     * Reads each table's schema file from the raw zone.
     *
     * @throws io.lakehousecdc.core.SetupException when the zone or a schema file cannot be read
     */
    public static DmsChangeSource inspect(DmsSourceSettings settings, List<TableId> tableIds, ZoneId targetZone) {
        TimeZonePolicy zones = TimeZonePolicy.of(settings.serverTimeZone(), targetZone);
        try (RawZone zone = settings.openZone()) {
            List<DmsTable> tables = tableIds.stream().map(id -> DmsTable.read(zone, id, zones, settings.describe())).toList();
            return new DmsChangeSource(settings, tables, zones);
        }
    }

    @Override
    public List<LakeSchema> schemas() {
        return tables.stream().map(DmsTable::schema).toList();
    }

    @Override
    public List<String> warnings() {
        return List.of();
    }

    /** DMS tables take their columns from their schema files; a change there comes with a new file. */
    @Override
    public ChangeSource evolved(UnaryOperator<CapturedTable> evolve) {
        return this;
    }

    /**
     * DMS failed events hold the file's row as text, not a change that can be converted again:
     * the row is corrected by landing it in a new change file.
     */
    @Override
    public ChangeRecord replay(TableId table, FailedChange failure) {
        return ChangeRecord.failed(table, failure.failedAgain(
                "a DMS row is not reprocessed from its failed event: correct it and land it in a new change file"
                        + " under the table's folder"));
    }

    /** One reader: files are read in order, and the set of files read is kept in its state. */
    @Override
    public DataStreamSource<ChangeRecord> addTo(StreamExecutionEnvironment env, String name) {
        DataStreamSource<ChangeRecord> stream = env.addSource(
                new DmsSourceFunction(settings, tables, zones), name, TypeInformation.of(ChangeRecord.class));
        stream.setParallelism(1);
        return stream;
    }
}
