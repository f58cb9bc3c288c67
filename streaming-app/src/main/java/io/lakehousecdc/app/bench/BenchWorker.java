package io.lakehousecdc.app.bench;

import io.lakehousecdc.app.config.LakehouseConfig;
import io.lakehousecdc.app.job.EmbeddedPipeline;
import io.lakehousecdc.app.job.PipelineJob;
import io.lakehousecdc.core.PipelineOptions;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.cdc.connectors.mysql.source.MySqlSource;
import org.apache.flink.cdc.connectors.mysql.table.MySqlDeserializationConverterFactory;
import org.apache.flink.cdc.debezium.table.RowDataDebeziumDeserializeSchema;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.RichSinkFunction;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.types.RowKind;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One benchmarked pipeline in a JVM of its own, so that its memory is measured alone. Runs until
 * killed. Prints {@code started <epoch ms>} once its job is submitted; the ceiling pipeline also
 * prints {@code seen <subtask> <rows> <highest revision>} a few times a second.
 *
 * <p>Arguments: the pipeline ({@code ours}, {@code plain}, {@code ceiling}) and a properties file
 * written by {@link BenchCommand}.
 */
public final class BenchWorker {

    private BenchWorker() {}

    public static void main(String[] args) throws Exception {
        System.setProperty("java.util.logging.manager", "org.apache.logging.log4j.jul.LogManager");
        Properties settings = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of(args[1]))) {
            settings.load(reader);
        }
        switch (BenchPipeline.valueOf(args[0].toUpperCase(java.util.Locale.ROOT))) {
            case OURS -> ours(settings);
            case PLAIN -> plain(settings);
            case CEILING -> ceiling(settings);
        }
    }

    private static void ours(Properties settings) throws Exception {
        Path configFile = Path.of(settings.getProperty("config"));
        LakehouseConfig config = LakehouseConfig.parse(Files.readString(configFile), configFile.toString(), List.of(), System.getenv());
        try (EmbeddedPipeline pipeline = EmbeddedPipeline.start(PipelineJob.prepare(config), null, false)) {
            started();
            pipeline.awaitTermination();
        }
    }

    /** What a user would write instead: the Flink CDC table straight into a Hudi table, in SQL. */
    private static void plain(Properties settings) throws Exception {
        StreamTableEnvironment tables = StreamTableEnvironment.create(environment(settings));
        tables.executeSql(sourceDdl(settings));
        tables.executeSql("""
                CREATE TABLE lake (
                  id BIGINT, patient_id BIGINT, doctor_id INT, started_at TIMESTAMP(0), status STRING,
                  fee DECIMAL(12, 2), notes STRING, duration_min SMALLINT, revision BIGINT,
                  updated_at TIMESTAMP_LTZ(0), `day` STRING,
                  PRIMARY KEY (id) NOT ENFORCED
                ) PARTITIONED BY (`day`) WITH (
                  'connector' = 'hudi',
                  'path' = '%s',
                  'table.type' = 'MERGE_ON_READ',
                  'precombine.field' = 'revision',
                  'write.tasks' = '%s',
                  'compaction.delta_commits' = '%s',
                  'hoodie.datasource.write.hive_style_partitioning' = 'true'
                )""".formatted(settings.getProperty("lake-path"), settings.getProperty("parallelism"),
                settings.getProperty("compaction-delta-commits")));
        TableResult insert = tables.executeSql("INSERT INTO lake SELECT *, DATE_FORMAT(started_at, 'yyyy-MM-dd') FROM src");
        started();
        insert.await();
    }

    /**
     * The source alone: Flink CDC's MySQL source with its own RowData conversion, as its SQL table
     * uses it, into a sink that only counts.
     */
    private static void ceiling(Properties settings) throws Exception {
        StreamExecutionEnvironment env = environment(settings);
        StreamTableEnvironment tables = StreamTableEnvironment.create(env);
        tables.executeSql(sourceDdl(settings));
        RowType rowType = (RowType) tables.from("src").getResolvedSchema().toPhysicalRowDataType().getLogicalType();
        String database = settings.getProperty("database");
        MySqlSource<RowData> source = MySqlSource.<RowData>builder()
                .hostname(settings.getProperty("host"))
                .port(Integer.parseInt(settings.getProperty("port")))
                .username(settings.getProperty("username"))
                .password(System.getenv("LAKEHOUSE_CDC_PASSWORD"))
                .databaseList(database)
                .tableList(database + ".consultations")
                .serverTimeZone("UTC")
                .deserializer(RowDataDebeziumDeserializeSchema.newBuilder()
                        .setPhysicalRowType(rowType)
                        .setResultTypeInfo(InternalTypeInfo.of(rowType))
                        .setServerTimeZone(ZoneOffset.UTC)
                        .setUserDefinedConverterFactory(MySqlDeserializationConverterFactory.instance())
                        .build())
                .build();
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "mysql-cdc")
                .addSink(new CountingSink(rowType.getFieldIndex("revision")))
                .name("discard");
        JobClient job = env.executeAsync("bench-ceiling");
        started();
        job.getJobExecutionResult().get();
    }

    private static StreamExecutionEnvironment environment(Properties settings) {
        Configuration global = new Configuration();
        global.set(PipelineOptions.NAME, "bench");
        global.set(PipelineOptions.PARALLELISM, Integer.parseInt(settings.getProperty("parallelism")));
        global.set(PipelineOptions.CHECKPOINT_INTERVAL, Duration.parse(settings.getProperty("checkpoint-interval")));
        global.set(PipelineOptions.WEB_UI_PORT, 0);
        Configuration flink = EmbeddedPipeline.flinkConfiguration(global, settings.getProperty("checkpoint-dir"));
        // Flink 1.17's SQL planner gives its operators no uids; these jobs are never restored.
        flink.setString("pipeline.auto-generate-uids", "true");
        return StreamExecutionEnvironment.createLocalEnvironment(global.get(PipelineOptions.PARALLELISM), flink);
    }

    private static String sourceDdl(Properties settings) {
        return """
                CREATE TABLE src (
                  id BIGINT, patient_id BIGINT, doctor_id INT, started_at TIMESTAMP(0), status STRING,
                  fee DECIMAL(12, 2), notes STRING, duration_min SMALLINT, revision BIGINT,
                  updated_at TIMESTAMP_LTZ(0),
                  PRIMARY KEY (id) NOT ENFORCED
                ) WITH (
                  'connector' = 'mysql-cdc',
                  'hostname' = '%s',
                  'port' = '%s',
                  'username' = '%s',
                  'password' = '%s',
                  'database-name' = '%s',
                  'table-name' = 'consultations',
                  'server-time-zone' = 'UTC'
                )""".formatted(settings.getProperty("host"), settings.getProperty("port"), settings.getProperty("username"),
                System.getenv("LAKEHOUSE_CDC_PASSWORD"), settings.getProperty("database"));
    }

    private static void started() {
        System.out.println("started " + System.currentTimeMillis());
        System.out.flush();
    }

    /** Counts changes and remembers the highest revision seen; reports both five times a second. */
    private static final class CountingSink extends RichSinkFunction<RowData> {

        private final int revisionField;
        private transient long rows;
        private transient long revision;
        private transient AtomicLong reportedRows;
        private transient AtomicLong reportedRevision;
        private transient ScheduledExecutorService reporter;

        CountingSink(int revisionField) {
            this.revisionField = revisionField;
        }

        @Override
        public void open(Configuration parameters) {
            reportedRows = new AtomicLong();
            reportedRevision = new AtomicLong();
            int subtask = getRuntimeContext().getIndexOfThisSubtask();
            reporter = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "bench-report");
                t.setDaemon(true);
                return t;
            });
            reporter.scheduleAtFixedRate(() -> System.out.println(
                    "seen " + subtask + " " + reportedRows.get() + " " + reportedRevision.get()), 200, 200, TimeUnit.MILLISECONDS);
        }

        @Override
        public void invoke(RowData row, Context context) {
            if (row.getRowKind() == RowKind.UPDATE_BEFORE) {
                return;
            }
            rows++;
            if (!row.isNullAt(revisionField) && row.getLong(revisionField) > revision) {
                revision = row.getLong(revisionField);
                reportedRevision.lazySet(revision);
            }
            reportedRows.lazySet(rows);
        }

        @Override
        public void close() {
            if (reporter != null) {
                reporter.shutdownNow();
            }
        }
    }
}
