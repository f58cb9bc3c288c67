package io.lakehousecdc.app.job;

import io.lakehousecdc.app.config.LakeLayout;
import io.lakehousecdc.app.config.LakehouseConfig;
import io.lakehousecdc.app.control.ControlPlane;
import io.lakehousecdc.app.control.TableSettings;
import io.lakehousecdc.app.failed.FailedEvent;
import io.lakehousecdc.app.failed.FailedEventStore;
import io.lakehousecdc.app.failed.FailedEventStores;
import io.lakehousecdc.app.failed.FailedEventsSink;
import io.lakehousecdc.core.ChangeRecord;
import io.lakehousecdc.core.FailedChange;
import io.lakehousecdc.core.LakeSchema;
import io.lakehousecdc.core.LakeZone;
import io.lakehousecdc.core.PipelineOptions;
import io.lakehousecdc.core.SetupException;
import io.lakehousecdc.core.TableId;
import io.lakehousecdc.lake.LakeCatalog;
import io.lakehousecdc.lake.LakeOptions;
import io.lakehousecdc.lake.LakeStorage;
import io.lakehousecdc.lake.LakeTable;
import io.lakehousecdc.lake.ProcessedZoneSink;
import io.lakehousecdc.lake.RawZoneSink;
import io.lakehousecdc.lake.TableIndex;
import io.lakehousecdc.source.ChangeSource;
import io.lakehousecdc.source.dms.DmsChangeSource;
import io.lakehousecdc.source.dms.DmsSourceSettings;
import io.lakehousecdc.source.mysql.MySqlChangeSource;
import io.lakehousecdc.source.mysql.MySqlSourceSettings;
import io.lakehousecdc.source.postgres.PostgresChangeSource;
import io.lakehousecdc.source.postgres.PostgresSourceSettings;

import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.util.OutputTag;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The streaming job, assembled in a fixed sequence: validate (configuration, databases, tables),
 * sources, normalize, sinks. {@link #prepare} does the validation and fails with one clear
 * {@link SetupException}; {@link #build} adds the operators, each named and with a uid from
 * {@link Uids}.
 */
public final class PipelineJob {

    private final Configuration global;
    private final FailedEventStore.Location failedEvents;
    private final List<SourcePlan> sources;
    private final List<String> warnings;

    private record SourcePlan(String id, ChangeSource source, List<LakeTable> tables) {}

    private PipelineJob(Configuration global, FailedEventStore.Location failedEvents, List<SourcePlan> sources,
            List<String> warnings) {
        this.global = global;
        this.failedEvents = failedEvents;
        this.sources = sources;
        this.warnings = List.copyOf(warnings);
    }

    /**
     * Validates the configuration and every source and table it names. A table's columns are
     * the source's now, and those its lake table holds beyond them (dropped at the source),
     * kept so that no history is lost.
     */
    public static PipelineJob prepare(LakehouseConfig config) {
        Configuration global = config.global();
        String basePath = LakeLayout.basePath(global);
        ZoneId targetZone = zone(global.get(PipelineOptions.TIMEZONE), PipelineOptions.TIMEZONE.key());

        Map<String, Configuration> sourcesById = LakeLayout.sourcesById(config);
        List<String> warnings = new ArrayList<>();
        Map<String, List<Configuration>> tablesBySource = new LinkedHashMap<>();
        for (Configuration table : capturedTables(config, warnings)) {
            LakeLayout.sourceOf(table, sourcesById);
            tablesBySource.computeIfAbsent(table.get(LakeOptions.SOURCE), s -> new ArrayList<>()).add(table);
        }
        if (tablesBySource.isEmpty()) {
            throw new SetupException(ControlPlane.configured(config)
                    ? "No enabled tables in the control plane: add them with 'lakehouse tables add' (or 'tables import')"
                    : "No tables to capture: list them under 'tables' in the config");
        }

        LakeStorage storage = LakeStorage.from(global);
        List<SourcePlan> plans = new ArrayList<>();
        for (Map.Entry<String, List<Configuration>> entry : tablesBySource.entrySet()) {
            Configuration sourceConf = sourcesById.get(entry.getKey());
            List<TableId> ids = entry.getValue().stream().map(t -> LakeLayout.tableId(t, sourceConf)).toList();
            Map<TableId, List<String>> keyOverrides = new HashMap<>();
            for (int i = 0; i < ids.size(); i++) {
                String keys = entry.getValue().get(i).toMap().get(TableSettings.KEY_COLUMNS);
                if (keys != null && !keys.isBlank()) {
                    keyOverrides.put(ids.get(i), List.of(keys.split("\\s*,\\s*")));
                }
            }
            ChangeSource inspected = inspect(sourceConf, ids, keyOverrides, targetZone);
            warnings.addAll(inspected.warnings());
            Map<TableId, String> processedPaths = new HashMap<>();
            for (int i = 0; i < ids.size(); i++) {
                processedPaths.put(ids.get(i), lakeTable(inspected.schemas().get(i), entry.getValue().get(i), basePath)
                        .path(LakeZone.PROCESSED));
            }
            ChangeSource source = inspected.evolved(captured -> captured.keeping(
                    LakeCatalog.columns(processedPaths.get(captured.id()), storage)));
            List<LakeTable> tables = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                LakeTable table = lakeTable(source.schemas().get(i), entry.getValue().get(i), basePath);
                ProcessedZoneSink.checkExisting(table, global);
                tables.add(table);
            }
            plans.add(new SourcePlan(entry.getKey(), source, tables));
        }
        return new PipelineJob(global, FailedEventStores.location(config), plans, warnings);
    }

    /**
     * The tables to capture: with a control plane, its enabled tables (the config file's
     * {@code tables:} section is then only what {@code tables import} copies there); without
     * one, the config file's.
     */
    private static List<Configuration> capturedTables(LakehouseConfig config, List<String> warnings) {
        if (ControlPlane.configured(config) && !config.tables().isEmpty()) {
            warnings.add("the config file's 'tables' section is not read while a control plane is configured;"
                    + " 'lakehouse tables import' copies it there");
        }
        return ControlPlane.tablesOf(config, true);
    }

    /**
     * Connects to a source and checks that it is ready for change data capture and that each of
     * {@code ids} exists there with a primary key.
     *
     * @param keyOverrides the tables keyed by other columns than their primary key (which they
     *     then need not have); DMS tables take their key from their schema file instead
     * @throws SetupException naming what is not ready and how to fix it
     */
    public static ChangeSource inspect(Configuration sourceConf, List<TableId> ids, Map<TableId, List<String>> keyOverrides,
            ZoneId targetZone) {
        return switch (LakeLayout.sourceType(sourceConf)) {
            case "postgres" -> PostgresChangeSource.inspect(PostgresSourceSettings.from(sourceConf), ids, keyOverrides, targetZone);
            case "dms" -> DmsChangeSource.inspect(DmsSourceSettings.from(sourceConf), ids, targetZone);
            default -> MySqlChangeSource.inspect(MySqlSourceSettings.from(sourceConf), ids, keyOverrides, targetZone);
        };
    }

    private static LakeTable lakeTable(LakeSchema schema, Configuration conf, String basePath) {
        Map<String, String> hudi = new HashMap<>();
        conf.toMap().forEach((k, v) -> {
            if (k.startsWith(LakeOptions.HUDI_PREFIX)) {
                hudi.put(k.substring(LakeOptions.HUDI_PREFIX.length()), v);
            }
        });
        LakeOptions.TableType type;
        try {
            type = conf.get(LakeOptions.TYPE);
        } catch (IllegalArgumentException e) {
            throw new SetupException("Table " + schema.table().sourceName() + " has type '" + conf.toMap().get("type")
                    + "': use MERGE_ON_READ or COPY_ON_WRITE");
        }
        Duration retention;
        try {
            retention = conf.get(LakeOptions.TABLE_RETENTION);
        } catch (IllegalArgumentException e) {
            throw new SetupException("Table " + schema.table().sourceName() + " has retention '" + conf.toMap().get("retention")
                    + "': write it as a duration such as 30d, 12h or 90min");
        }
        String ordering = conf.get(LakeOptions.ORDERING_COLUMN);
        return new LakeTable(schema, basePath, type, conf.get(LakeOptions.PARTITION_BY), hudi,
                TableIndex.parse(conf.get(LakeOptions.INDEX_TYPE), schema.table().sourceName()),
                ordering == null || ordering.isBlank() ? null : ordering.trim(), retention,
                conf.get(LakeOptions.RAW_ZONE));
    }

    public static ZoneId zone(String id, String key) {
        try {
            return ZoneId.of(id);
        } catch (DateTimeException e) {
            throw new SetupException(key + " '" + id + "' is not a time zone: use a region id such as Asia/Jakarta");
        }
    }

    /**
     * The Flink settings that belong to the job wherever it runs, embedded or on a cluster:
     * explicit uids only, object reuse, exactly-once checkpoints at the configured interval,
     * kept when the job is cancelled. State directories, restarts and resources are the
     * cluster's.
     */
    public static Configuration jobSettings(Configuration global) {
        Configuration flink = new Configuration();
        flink.setString("pipeline.name", global.get(PipelineOptions.NAME));
        flink.setString("pipeline.auto-generate-uids", "false");
        flink.setString("pipeline.object-reuse", "true");
        flink.setString("execution.checkpointing.interval", global.get(PipelineOptions.CHECKPOINT_INTERVAL).toMillis() + " ms");
        flink.setString("execution.checkpointing.mode", "EXACTLY_ONCE");
        flink.setString("execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION");
        flink.setString("execution.checkpointing.timeout", "10 min");
        return flink;
    }

    /** What the checks found that does not stop the job, one line each. */
    public List<String> warnings() {
        return warnings;
    }

    public Configuration global() {
        return global;
    }

    /**
     * Every operator's uid, in the order the graph was built; savepoints map state by these, so
     * they must all be set and must not change by accident.
     */
    public List<String> operatorUids() {
        StreamExecutionEnvironment env = new StreamExecutionEnvironment(new Configuration());
        build(env);
        return env.getStreamGraph().getStreamNodes().stream()
                .sorted(Comparator.comparingInt(StreamNode::getId))
                .map(StreamNode::getTransformationUID)
                .toList();
    }

    public List<LakeTable> tables() {
        return sources.stream().flatMap(s -> s.tables().stream()).toList();
    }

    /** Adds the job's operators to {@code env}. */
    public void build(StreamExecutionEnvironment env) {
        for (SourcePlan plan : sources) {
            DataStream<ChangeRecord> changes = plan.source().addTo(env, "source: " + plan.id()).uid(Uids.source(plan.id()));
            routeToTheLake(changes, plan)
                    .addSink(new FailedEventsSink(failedEvents, plan.id()))
                    .name("failed events: " + plan.id())
                    .uid(Uids.failedEvents(plan.id()));
        }
    }

    /**
     * Converts a failed event again with the current configuration's conversion of its source.
     *
     * @return the converted change, or a failed one saying why it still fails
     */
    public ChangeRecord replay(FailedEvent event) {
        SourcePlan plan = sources.stream().filter(p -> p.id().equals(event.source())).findFirst().orElse(null);
        LakeTable table = plan == null ? null
                : plan.tables().stream().filter(t -> t.name().equals(event.table())).findFirst().orElse(null);
        if (table == null) {
            throw new SetupException("Failed event " + event.id() + " is of table " + event.sourceTable() + " of source "
                    + event.source() + ", which the configuration does not capture: enable the table to reprocess it");
        }
        return plan.source().replay(table.schema().table(), event.change());
    }

    /**
     * Adds a batch job that writes converted changes of this job's tables to the lake through the
     * same writers as the streaming job, committed once when they end.
     *
     * @param toProcessed the changes to upsert into their processed tables
     * @param toRaw the changes to append to their raw zones, a subset of {@code toProcessed}
     */
    public void buildReplay(StreamExecutionEnvironment env, List<ChangeRecord> toProcessed, List<ChangeRecord> toRaw) {
        for (LakeTable table : tables()) {
            List<RowData> processed = rowsOf(table, toProcessed);
            if (!processed.isEmpty()) {
                ProcessedZoneSink.writeBounded(replaySource(env, table, processed, "processed"), table, global,
                        Uids.processed(table.name()));
            }
            List<RowData> raw = rowsOf(table, toRaw);
            if (table.rawZone() && !raw.isEmpty()) {
                RawZoneSink.writeBounded(replaySource(env, table, raw, "raw"), table, global, Uids.raw(table.name()));
            }
        }
    }

    private static List<RowData> rowsOf(LakeTable table, List<ChangeRecord> changes) {
        return changes.stream().filter(c -> c.table().equals(table.schema().table())).<RowData>map(ChangeRouter::lakeRow).toList();
    }

    private static DataStream<RowData> replaySource(StreamExecutionEnvironment env, LakeTable table, List<RowData> rows, String zone) {
        return env.fromCollection(rows, InternalTypeInfo.of(table.schema().rowType()))
                .name("failed events: " + table.name() + " " + zone)
                .uid(Uids.failedEvents(table.name()) + "/" + zone);
    }

    /** Normalizes a source's changes and writes each table's to its zones; returns the changes that failed. */
    private DataStream<Tuple2<TableId, FailedChange>> routeToTheLake(DataStream<ChangeRecord> changes, SourcePlan plan) {
        TypeInformation<Tuple2<TableId, FailedChange>> failedType = TypeInformation.of(new TypeHint<>() {});
        ZoneId lakeZone = zone(global.get(PipelineOptions.TIMEZONE), PipelineOptions.TIMEZONE.key());
        OutputTag<Tuple2<TableId, FailedChange>> failed = new OutputTag<>("failed-events", failedType);
        ChangeRouter router = new ChangeRouter(plan.tables().stream().map(LakeTable::schema).toList(), failed, lakeZone,
                !(plan.source() instanceof DmsChangeSource));
        SingleOutputStreamOperator<Void> routed = changes
                .process(router)
                .name("normalize: " + plan.id())
                .uid(Uids.normalize(plan.id()));
        for (LakeTable table : plan.tables()) {
            DataStream<RowData> rows = routed.getSideOutput(router.output(table.schema().table()));
            ProcessedZoneSink.write(rows, table, global, Uids.processed(table.name()));
            if (table.rawZone()) {
                RawZoneSink.write(rows, table, global, Uids.raw(table.name()));
            }
        }
        return routed.getSideOutput(failed);
    }
}
