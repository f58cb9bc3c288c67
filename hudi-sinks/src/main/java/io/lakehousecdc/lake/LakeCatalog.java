package io.lakehousecdc.lake;

import org.apache.flink.table.api.Schema;
import org.apache.flink.table.api.TableDescriptor;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.types.DataType;
import org.apache.hudi.common.model.HoodieTableType;
import org.apache.hudi.common.table.HoodieTableMetaClient;
import org.apache.hudi.common.table.TableSchemaResolver;
import org.apache.hudi.common.model.HoodieCommitMetadata;
import org.apache.hudi.common.table.timeline.HoodieActiveTimeline;
import org.apache.hudi.common.table.timeline.HoodieInstant;
import org.apache.hudi.common.table.timeline.HoodieTimeline;
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

    /**
     * A completed write to a lake table.
     *
     * @param instant Hudi's instant time
     * @param startedAt when it began, from its instant time
     * @param completedAt when it became visible to readers
     * @param changes rows inserted, updated or deleted by it
     */
    public record Commit(String instant, Instant startedAt, Instant completedAt, long changes) {}

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
            long changes = metadata.getPartitionToWriteStats().values().stream()
                    .flatMap(List::stream)
                    .mapToLong(w -> w.getNumInserts() + w.getNumUpdateWrites() + w.getNumDeletes())
                    .sum();
            try {
                Instant started = HoodieActiveTimeline.parseDateFromInstantTime(instant.getTimestamp()).toInstant();
                Instant completed = HoodieActiveTimeline.parseDateFromInstantTime(instant.getStateTransitionTime()).toInstant();
                commits.add(new Commit(instant.getTimestamp(), started, completed, changes));
            } catch (ParseException e) {
                throw new IllegalStateException("Commit " + instant + " of lake table at " + path + " has no valid time", e);
            }
        }
        return commits;
    }

    /**
     * Registers the table at {@code path} in {@code tables} as {@code name}; a MERGE_ON_READ table
     * also as {@code name_rt} (real-time: base files merged with logs) and {@code name_ro}
     * (read-optimized: compacted base files only).
     *
     * @return the names registered, empty when the table has no commit yet
     */
    public static List<String> register(TableEnvironment tables, String name, String path, LakeStorage storage) {
        Optional<HoodieTableMetaClient> meta = metaClient(path, storage);
        if (meta.isEmpty() || meta.get().getCommitsTimeline().filterCompletedInstants().empty()) {
            return List.of();
        }
        HoodieTableMetaClient client = meta.get();
        DataType rowType;
        try {
            rowType = AvroSchemaConverter.convertToDataType(new TableSchemaResolver(client).getTableAvroSchema(false));
        } catch (Exception e) {
            throw new IllegalStateException("Cannot read the schema of lake table " + name + " at " + path, e);
        }
        Schema.Builder schema = Schema.newBuilder().fromRowDataType(rowType);
        client.getTableConfig().getRecordKeyFields().ifPresent(keys -> schema.primaryKey(keys));
        Schema built = schema.build();
        HoodieTableType type = client.getTableType();

        List<String> names = new ArrayList<>();
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
