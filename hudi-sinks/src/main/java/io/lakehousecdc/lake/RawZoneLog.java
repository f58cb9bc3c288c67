package io.lakehousecdc.lake;

import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.VarCharType;
import org.apache.flink.table.types.utils.TypeConversions;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hudi.common.engine.HoodieLocalEngineContext;
import org.apache.hudi.common.fs.FSUtils;
import org.apache.hudi.common.model.HoodieBaseFile;
import org.apache.hudi.common.model.HoodieCommitMetadata;
import org.apache.hudi.common.model.HoodieRecord;
import org.apache.hudi.common.model.HoodieWriteStat;
import org.apache.hudi.common.table.HoodieTableMetaClient;
import org.apache.hudi.common.table.TableSchemaResolver;
import org.apache.hudi.common.table.timeline.HoodieInstant;
import org.apache.hudi.common.table.timeline.HoodieTimeline;
import org.apache.hudi.common.table.view.HoodieTableFileSystemView;
import org.apache.hudi.table.format.cow.ParquetSplitReaderUtil;
import org.apache.hudi.table.format.cow.vector.reader.ParquetColumnarRowSplitReader;
import org.apache.hudi.util.AvroSchemaConverter;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.IntStream;

/**
 * Reads a raw-zone change log commit by commit, as the warehouse feed follows it: the rows each
 * completed write commit added, straight from the Parquet files that commit's metadata names.
 * Clustering rewrites those files under a {@code replacecommit} and the cleaner later deletes
 * the originals; the rewritten files keep each row's {@code _hoodie_commit_time}, so a commit
 * whose files are gone is read from the latest files of the partitions it wrote instead.
 */
public final class RawZoneLog {

    private static final int BATCH_SIZE = 2048;

    private final String path;
    private final HoodieTableMetaClient client;
    private final RowType rowType;
    private final String[] readNames;
    private final DataType[] readTypes;
    private final int[] readFields;

    private RawZoneLog(String path, HoodieTableMetaClient client, RowType rowType) {
        this.path = path;
        this.client = client;
        this.rowType = rowType;
        List<String> names = new ArrayList<>(rowType.getFieldNames());
        names.add(HoodieRecord.COMMIT_TIME_METADATA_FIELD);
        this.readNames = names.toArray(String[]::new);
        List<DataType> types = new ArrayList<>(rowType.getChildren().stream().map(TypeConversions::fromLogicalToDataType).toList());
        types.add(TypeConversions.fromLogicalToDataType(new VarCharType(VarCharType.MAX_LENGTH)));
        this.readTypes = types.toArray(DataType[]::new);
        this.readFields = IntStream.range(0, readNames.length).toArray();
    }

    /** The change log at {@code path}, read with the lake's storage settings; empty while nothing has been committed there. */
    public static Optional<RawZoneLog> open(String path, LakeStorage storage) {
        Optional<HoodieTableMetaClient> meta = LakeCatalog.metaClient(path, storage);
        if (meta.isEmpty() || meta.get().getCommitsTimeline().filterCompletedInstants().empty()) {
            return Optional.empty();
        }
        RowType rowType;
        try {
            rowType = (RowType) AvroSchemaConverter.convertToDataType(new TableSchemaResolver(meta.get()).getTableAvroSchema(false))
                    .getLogicalType();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot read the schema of the raw-zone table at " + path, e);
        }
        return Optional.of(new RawZoneLog(path, meta.get(), rowType));
    }

    /** The columns of the change log: the source columns, the metadata columns and {@code _cdc_day}. */
    public RowType rowType() {
        return rowType;
    }

    /**
     * The completed write commits after {@code after} (every one when null), oldest first.
     *
     * @throws ChangeLogGapException when commits after {@code after} have left the active
     *     timeline (archived), so that which rows they wrote can no longer be told
     */
    public List<String> commitsAfter(String after) {
        List<String> commits = readableWrites().stream()
                .filter(i -> after == null || HoodieTimeline.compareTimestamps(i, HoodieTimeline.GREATER_THAN, after))
                .toList();
        if (after != null) {
            // Listing the archive is left for the rare position older than the active timeline.
            Optional<String> firstActive = writes().firstInstant().map(HoodieInstant::getTimestamp).toJavaOptional();
            if (firstActive.isPresent() && HoodieTimeline.compareTimestamps(firstActive.get(), HoodieTimeline.GREATER_THAN, after)
                    && LakeCatalog.hasArchivedCommits(client) && archivedWritesAfter(after)) {
                throw new ChangeLogGapException(path, after, firstActive.get());
            }
        }
        return commits;
    }

    /** The newest completed write commit whose metadata can be read, if any. */
    public Optional<String> latestCommit() {
        List<String> commits = readableWrites();
        return commits.isEmpty() ? Optional.empty() : Optional.of(commits.get(commits.size() - 1));
    }

    /**
     * The completed write commits, oldest first. Hudi creates a completed instant's file before
     * it writes the commit's metadata into it: the newest may still be empty, and read as empty
     * its rows would be lost, so it waits for the next look.
     */
    private List<String> readableWrites() {
        client.reloadActiveTimeline();
        List<HoodieInstant> completed = writes().getInstants();
        List<String> commits = new ArrayList<>(completed.stream().map(HoodieInstant::getTimestamp).toList());
        if (!completed.isEmpty()) {
            HoodieInstant newest = completed.get(completed.size() - 1);
            if (client.getActiveTimeline().getInstantDetails(newest).map(d -> d.length == 0).orElse(true)) {
                commits.remove(commits.size() - 1);
            }
        }
        return commits;
    }

    /**
     * Passes each row that {@code instant} wrote to {@code rows}, with the fields of
     * {@link #rowType()} and then {@code _hoodie_commit_time}. A row is only valid during the
     * call: the reader reuses it for the next.
     */
    public void read(String instant, Consumer<RowData> rows) {
        HoodieInstant commit = new HoodieInstant(HoodieInstant.State.COMPLETED, HoodieTimeline.COMMIT_ACTION, instant);
        byte[] details = client.getActiveTimeline().getInstantDetails(commit).orElse(new byte[0]);
        if (details.length == 0) {
            throw new IllegalStateException("Commit " + instant + " of the raw-zone table at " + path + " has no metadata yet");
        }
        HoodieCommitMetadata metadata;
        try {
            metadata = HoodieCommitMetadata.fromBytes(details, HoodieCommitMetadata.class);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read commit " + instant + " of the raw-zone table at " + path, e);
        }
        StringData instantData = StringData.fromString(instant);
        Predicate<StringData> written = instantData::equals;
        for (Map.Entry<String, List<HoodieWriteStat>> partition : metadata.getPartitionToWriteStats().entrySet()) {
            List<Path> files = partition.getValue().stream()
                    .filter(stat -> stat.getNumWrites() > 0 || stat.getNumDeletes() > 0)
                    .map(stat -> new Path(client.getBasePathV2(), stat.getPath()))
                    .toList();
            // All from the commit's own files, or all from the partition's current ones: a mix
            // would read the rows of a file that is in both twice.
            if (files.stream().allMatch(this::exists)) {
                files.forEach(file -> readFile(file, written, rows));
            } else {
                latestFiles(partition.getKey()).forEach(file -> readCurrent(new Path(file.getPath()), written, rows));
            }
        }
    }

    /**
     * Passes every row committed up to and including {@code upTo} to {@code rows}: the whole
     * history, read from the latest file versions rather than commit by commit.
     */
    public void readAll(String upTo, Consumer<RowData> rows) {
        List<String> partitions = FSUtils.getAllPartitionPaths(new HoodieLocalEngineContext(client.getHadoopConf()),
                client.getBasePathV2().toString(), false, false);
        Predicate<StringData> committed = time -> !HoodieTimeline.compareTimestamps(time.toString(), HoodieTimeline.GREATER_THAN, upTo);
        for (String partition : partitions) {
            latestFiles(partition).forEach(file -> readCurrent(new Path(file.getPath()), committed, rows));
        }
    }

    private boolean exists(Path file) {
        try {
            return file.getFileSystem(client.getHadoopConf()).exists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot reach " + file + " of the raw-zone table at " + path, e);
        }
    }

    private HoodieTimeline writes() {
        return client.getActiveTimeline().getCommitTimeline().filterCompletedInstants()
                .filter(i -> i.getAction().equals(HoodieTimeline.COMMIT_ACTION));
    }

    /** Whether write commits after {@code after} have been archived, rather than only {@code after} itself. */
    private boolean archivedWritesAfter(String after) {
        return !client.getArchivedTimeline(after).getCommitTimeline().filterCompletedInstants()
                .filter(i -> i.getAction().equals(HoodieTimeline.COMMIT_ACTION))
                .findInstantsAfter(after).empty();
    }

    /**
     * The current files of {@code partition}: clustering's rewrites instead of the files they
     * replaced, which the cleaner may have deleted. Rows keep their commit time through a rewrite.
     */
    private List<HoodieBaseFile> latestFiles(String partition) {
        HoodieTimeline completed = client.reloadActiveTimeline().getCommitsTimeline().filterCompletedInstants();
        UnfinishedClusterings.checkReadable(client, path);
        HoodieTableFileSystemView view = new HoodieTableFileSystemView(client, completed);
        try {
            return view.getLatestBaseFiles(partition).toList();
        } finally {
            view.close();
        }
    }

    /** Reads a file the table lists as current; one deleted meanwhile means the listing is stale: look again later. */
    private void readCurrent(Path file, Predicate<StringData> commitTime, Consumer<RowData> rows) {
        if (!readFile(file, commitTime, rows)) {
            throw new IllegalStateException("File " + file + " of the raw-zone table at " + path
                    + " was deleted while it was being read (cleaning): read again");
        }
    }

    /** Reads the rows of {@code file} whose commit time passes {@code commitTime}; false when the file is gone. */
    private boolean readFile(Path file, Predicate<StringData> commitTime, Consumer<RowData> rows) {
        FileStatus status;
        try {
            FileSystem fs = file.getFileSystem(client.getHadoopConf());
            status = fs.getFileStatus(file);
        } catch (FileNotFoundException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot reach " + file + " of the raw-zone table at " + path, e);
        }
        int commitTimeField = readNames.length - 1;
        try (ParquetColumnarRowSplitReader reader = ParquetSplitReaderUtil.genPartColumnarRowReader(true, true,
                client.getHadoopConf(), readNames, readTypes, Map.of(), readFields, BATCH_SIZE,
                new org.apache.flink.core.fs.Path(file.toUri()), 0, status.getLen(), null, null)) {
            while (!reader.reachedEnd()) {
                RowData row = reader.nextRecord();
                if (commitTime.test(row.getString(commitTimeField))) {
                    rows.accept(row);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + " of the raw-zone table at " + path, e);
        }
        return true;
    }
}
