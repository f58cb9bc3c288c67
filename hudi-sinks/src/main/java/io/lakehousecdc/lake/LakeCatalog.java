package io.lakehousecdc.lake;

import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.Expressions;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.TableDescriptor;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.expressions.Expression;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.hudi.common.model.HoodieTableType;
import org.apache.hudi.common.table.HoodieTableMetaClient;
import org.apache.hudi.common.table.TableSchemaResolver;
import org.apache.hudi.common.model.HoodieCommitMetadata;
import org.apache.hudi.common.model.HoodieRecord;
import org.apache.hudi.common.model.HoodieWriteStat;
import org.apache.hudi.common.table.timeline.HoodieActiveTimeline;
import org.apache.hudi.common.table.timeline.HoodieInstant;
import org.apache.hudi.common.table.timeline.HoodieTimeline;
import org.apache.hudi.common.util.CleanerUtils;
import org.apache.hudi.common.util.Option;
import org.apache.hudi.exception.TableNotFoundException;
import org.apache.hudi.util.AvroSchemaConverter;

import java.io.IOException;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads what a lake table is from its own Hudi metadata (schema, key, type, timeline), so that
 * it can be queried without the source that wrote it.
 */
public final class LakeCatalog {

    private LakeCatalog() {}

    /** Hudi's instant time of nothing: a table read as of it is empty. */
    public static final String BEFORE_FIRST_COMMIT = "00000000000000000";

    /**
     * A completed write to a lake table.
     *
     * @param instant Hudi's instant time
     * @param action Hudi's timeline action: {@code commit} (COPY_ON_WRITE) or {@code deltacommit} (MERGE_ON_READ)
     * @param startedAt when it began, from its instant time
     * @param completedAt when it became visible to readers
     * @param inserted rows it inserted
     * @param updated rows it updated
     * @param deleted rows it deleted
     */
    public record Commit(String instant, String action, Instant startedAt, Instant completedAt,
            long inserted, long updated, long deleted) {

        /** Rows inserted, updated or deleted by it. */
        public long changes() {
            return inserted + updated + deleted;
        }
    }

    /**
     * Which version of a table a query reads: the rows of the table as of {@code upTo} whose
     * latest change was committed after {@code after}.
     *
     * @param after an instant time, or null for every row
     * @param upTo an instant time, or null for the newest commit
     */
    public record ReadWindow(String after, String upTo) {
        public static final ReadWindow LATEST = new ReadWindow(null, null);
    }

    /**
     * The table's completed writes (not compactions), oldest first, as far back as Hudi's active
     * timeline reaches; empty if nothing has been committed at {@code path} yet.
     */
    public static List<Commit> writeCommits(String path, LakeStorage storage) {
        Optional<HoodieTableMetaClient> meta = metaClient(path, storage);
        if (meta.isEmpty()) {
            return List.of();
        }
        HoodieTableMetaClient client = meta.get();
        String writeAction = writeAction(client);
        HoodieTimeline timeline = client.getCommitsTimeline().filterCompletedInstants();
        List<HoodieInstant> writes = timeline.getInstants().stream().filter(i -> i.getAction().equals(writeAction)).toList();
        List<Commit> commits = new ArrayList<>();
        for (int i = 0; i < writes.size(); i++) {
            HoodieInstant instant = writes.get(i);
            boolean newest = i == writes.size() - 1;
            // Hudi creates a completed instant's file before writing its metadata into it, and
            // reads an empty file as a commit without changes: the newest commit's file may be
            // empty or partial for a moment, and then shows complete on the next read.
            byte[] details = timeline.getInstantDetails(instant).orElse(new byte[0]);
            if (details.length == 0 && newest) {
                break;
            }
            HoodieCommitMetadata metadata;
            try {
                metadata = HoodieCommitMetadata.fromBytes(details, HoodieCommitMetadata.class);
            } catch (IOException e) {
                if (newest) {
                    break;
                }
                throw new IllegalStateException("Cannot read commit " + instant + " of lake table at " + path, e);
            }
            List<HoodieWriteStat> stats = metadata.getPartitionToWriteStats().values().stream().flatMap(List::stream).toList();
            try {
                Instant started = HoodieActiveTimeline.parseDateFromInstantTime(instant.getTimestamp()).toInstant();
                Instant completed = HoodieActiveTimeline.parseDateFromInstantTime(instant.getStateTransitionTime()).toInstant();
                commits.add(new Commit(instant.getTimestamp(), writeAction, started, completed,
                        stats.stream().mapToLong(HoodieWriteStat::getNumInserts).sum(),
                        stats.stream().mapToLong(HoodieWriteStat::getNumUpdateWrites).sum(),
                        stats.stream().mapToLong(HoodieWriteStat::getNumDeletes).sum()));
            } catch (ParseException e) {
                throw new IllegalStateException("Commit " + instant + " of lake table at " + path + " has no valid time", e);
            }
        }
        return commits;
    }

    /**
     * The oldest instant that the table can still be read as of, or empty when it can be read as
     * of any instant since it was created. The cleaner deletes file versions that only commits
     * before its {@code earliestCommitToRetain} need; the archiver takes commits off the active
     * timeline, without which Hudi cannot tell older file versions apart.
     */
    public static Optional<String> oldestReadableInstant(String path, LakeStorage storage) {
        Optional<HoodieTableMetaClient> meta = metaClient(path, storage);
        if (meta.isEmpty()) {
            return Optional.empty();
        }
        HoodieTableMetaClient client = meta.get();
        Optional<String> oldest = Optional.empty();
        Option<HoodieInstant> lastClean = client.getActiveTimeline().getCleanerTimeline().filterCompletedInstants().lastInstant();
        if (lastClean.isPresent()) {
            try {
                String retained = CleanerUtils.getCleanerMetadata(client, lastClean.get()).getEarliestCommitToRetain();
                if (retained != null && !retained.isEmpty()) {
                    oldest = Optional.of(retained);
                }
            } catch (IOException e) {
                throw new IllegalStateException("Cannot read clean " + lastClean.get() + " of lake table at " + path, e);
            }
        }
        if (hasArchivedCommits(client)) {
            Option<HoodieInstant> first = client.getCommitsTimeline().filterCompletedInstants().firstInstant();
            if (first.isPresent() && oldest.map(o -> o.compareTo(first.get().getTimestamp()) < 0).orElse(true)) {
                oldest = Optional.of(first.get().getTimestamp());
            }
        }
        // Name a write the user can find in the commit list, not a compaction or clean.
        String from = oldest.orElse(null);
        if (from == null) {
            return Optional.empty();
        }
        return writeCommits(path, storage).stream().map(Commit::instant).filter(i -> i.compareTo(from) >= 0).findFirst()
                .or(() -> Optional.of(from));
    }

    static boolean hasArchivedCommits(HoodieTableMetaClient client) {
        try {
            org.apache.hadoop.fs.Path archive = new org.apache.hadoop.fs.Path(client.getArchivePath());
            return client.getFs().exists(archive) && client.getFs().listStatus(archive).length > 0;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot list the archived timeline of lake table at " + client.getBasePath(), e);
        }
    }

    /**
     * Registers the table at {@code path} in {@code tables} as {@code name}; a MERGE_ON_READ table
     * also as {@code name_rt} (real-time: base files merged with logs) and {@code name_ro}
     * (read-optimized: compacted base files only).
     *
     * @return the names registered, empty when the table has no commit yet
     */
    public static List<String> register(TableEnvironment tables, String name, String path, LakeStorage storage) {
        return register(tables, name, path, ReadWindow.LATEST, storage);
    }

    /**
     * The columns of the table as its newest commit wrote them, Hudi's own {@code _hoodie_*}
     * columns left out; empty while it has no commit.
     */
    public static List<RowType.RowField> columns(String path, LakeStorage storage) {
        Optional<HoodieTableMetaClient> meta = metaClient(path, storage);
        if (meta.isEmpty() || meta.get().getCommitsTimeline().filterCompletedInstants().empty()) {
            return List.of();
        }
        RowType rowType = (RowType) schemaOf(meta.get(), path).getLogicalType();
        return rowType.getFields().stream().filter(f -> !f.getName().startsWith("_hoodie_")).toList();
    }

    /** The table's columns as its newest commit wrote them. */
    private static DataType schemaOf(HoodieTableMetaClient client, String path) {
        try {
            return AvroSchemaConverter.convertToDataType(new TableSchemaResolver(client).getTableAvroSchema(false));
        } catch (Exception e) {
            throw new IllegalStateException("Cannot read the schema of the lake table at " + path, e);
        }
    }

    /**
     * Registers the version {@code window} of the table at {@code path} in {@code tables} as
     * {@code name}, and a MERGE_ON_READ table also as {@code name_rt}; read-optimized reads
     * cannot go back in time, so no {@code name_ro} is registered for a version other than
     * {@link ReadWindow#LATEST}.
     *
     * <p>A version as of an instant is Hudi's incremental query from the earliest commit up to
     * it, which reads the file versions of that instant. Rows changed after an instant are that
     * version's rows whose {@code _hoodie_commit_time} (kept through updates of other rows and
     * compaction) is later: Hudi's own incremental query from a given commit needs Hive's
     * input format classes, which this application leaves out.
     *
     * @return the names registered, empty when the table has no commit yet
     */
    public static List<String> register(
            TableEnvironment tables, String name, String path, ReadWindow window, LakeStorage storage) {
        Optional<HoodieTableMetaClient> meta = metaClient(path, storage);
        if (meta.isEmpty() || meta.get().getCommitsTimeline().filterCompletedInstants().empty()) {
            return List.of();
        }
        HoodieTableMetaClient client = meta.get();
        UnfinishedClusterings.checkReadable(client, name);
        DataType rowType = schemaOf(client, path);
        Schema.Builder schema = Schema.newBuilder().fromRowDataType(rowType);
        client.getTableConfig().getRecordKeyFields().ifPresent(keys -> schema.primaryKey(keys));
        Schema built = schema.build();
        HoodieTableType type = client.getTableType();

        List<String> names = new ArrayList<>();
        if (window.equals(ReadWindow.LATEST)) {
            tables.createTemporaryTable(name, descriptor(built, path, type, "snapshot", storage));
            names.add(name);
            if (type == HoodieTableType.MERGE_ON_READ) {
                tables.createTemporaryTable(name + "_rt", descriptor(built, path, type, "snapshot", storage));
                tables.createTemporaryTable(name + "_ro", descriptor(built, path, type, "read_optimized", storage));
                names.add(name + "_rt");
                names.add(name + "_ro");
            }
            return names;
        }
        Table version = version(tables, rowType, client.getTableConfig().getRecordKeyFields(), path, type, window, storage);
        tables.createTemporaryView(name, version);
        names.add(name);
        if (type == HoodieTableType.MERGE_ON_READ) {
            tables.createTemporaryView(name + "_rt", version);
            names.add(name + "_rt");
        }
        return names;
    }

    private static Table version(TableEnvironment tables, DataType rowType, Option<String[]> keys, String path,
            HoodieTableType type, ReadWindow window, LakeStorage storage) {
        Schema.Builder schema = Schema.newBuilder();
        if (window.after() != null) {
            schema.column(HoodieRecord.COMMIT_TIME_METADATA_FIELD, DataTypes.STRING());
        }
        schema.fromRowDataType(rowType);
        keys.ifPresent(k -> schema.primaryKey(k));
        TableDescriptor.Builder descriptor = TableDescriptor.forConnector("hudi")
                .schema(schema.build())
                .option("path", path)
                .option("table.type", type.name())
                .option("read.tasks", "1");
        storage.hudiOptions().forEach(descriptor::option);
        if (window.upTo() == null) {
            descriptor.option("hoodie.datasource.query.type", "snapshot");
        } else {
            descriptor.option("hoodie.datasource.query.type", "incremental")
                    .option("read.start-commit", "earliest")
                    .option("read.end-commit", window.upTo());
        }
        Table table = tables.from(descriptor.build());
        if (window.after() == null) {
            return table;
        }
        Expression[] columns = DataType.getFieldNames(rowType).stream().map(Expressions::$).toArray(Expression[]::new);
        return table.where(Expressions.$(HoodieRecord.COMMIT_TIME_METADATA_FIELD).isGreater(window.after())).select(columns);
    }

    /**
     * Partition columns are deliberately not declared: their values are read from the data files,
     * not parsed back from the WIB-day directory names.
     */
    private static TableDescriptor descriptor(Schema schema, String path, HoodieTableType type, String queryType,
            LakeStorage storage) {
        TableDescriptor.Builder descriptor = TableDescriptor.forConnector("hudi")
                .schema(schema)
                .option("path", path)
                .option("table.type", type.name())
                .option("hoodie.datasource.query.type", queryType)
                .option("read.tasks", "1");
        storage.hudiOptions().forEach(descriptor::option);
        return descriptor.build();
    }

    /** The timeline action of a write: delta commits on MERGE_ON_READ tables (commits there are compactions). */
    static String writeAction(HoodieTableMetaClient client) {
        return client.getTableType() == HoodieTableType.MERGE_ON_READ
                ? HoodieTimeline.DELTA_COMMIT_ACTION : HoodieTimeline.COMMIT_ACTION;
    }

    /** The table's Hudi metadata, read with the lake's storage settings; empty when no table is at {@code path}. */
    public static Optional<HoodieTableMetaClient> metaClient(String path, LakeStorage storage) {
        try {
            return Optional.of(HoodieTableMetaClient.builder()
                    .setConf(storage.hadoopConfiguration())
                    .setBasePath(path)
                    .build());
        } catch (TableNotFoundException e) {
            return Optional.empty();
        }
    }
}
