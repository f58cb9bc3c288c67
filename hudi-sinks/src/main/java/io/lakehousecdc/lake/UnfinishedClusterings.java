package io.lakehousecdc.lake;

import io.lakehousecdc.core.SetupException;

import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hudi.common.table.HoodieTableMetaClient;
import org.apache.hudi.common.table.timeline.HoodieInstant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Clusterings whose commit a stopped job left half written.
 *
 * <p>On a local file system Hudi completes an instant by creating its file and then writing the
 * commit metadata into it (on HDFS it renames a finished file, and an S3 object appears whole).
 * A job cancelled in between leaves the file empty: Flink interrupts the committing thread, and
 * Hadoop's local file system fails on an interrupted thread while it sets the new file's
 * permissions. Hudi reads an empty completed clustering as one that replaced no files, so its
 * output and the files it rewrote both count, and every row it rewrote reads twice.
 *
 * <p>Such an instant is put back in flight, its output deleted, when a streaming job is built
 * to write the table again (Hudi's clustering rolls in-flight clusterings back when it
 * starts, and runs them again), and reading a table that has one fails rather than returning
 * rows twice. A failover inside a running job is not a new start: what it tears stays until the
 * job is started again, and meanwhile the table cannot be read.
 */
public final class UnfinishedClusterings {
    private static final Logger LOG = LoggerFactory.getLogger(UnfinishedClusterings.class);

    /** Far longer than a committing writer takes to fill the file it just created. */
    static final Duration WRITER_GRACE = Duration.ofSeconds(10);

    private UnfinishedClusterings() {}

    /**
     * Puts the table's unfinished clusterings back in flight; logs each.
     *
     * @return the instants reopened
     */
    public static List<String> reopen(String path, LakeStorage storage) {
        Optional<HoodieTableMetaClient> meta = LakeCatalog.metaClient(path, storage);
        if (meta.isEmpty()) {
            return List.of();
        }
        FileSystem fs = meta.get().getFs();
        List<String> reopened = new ArrayList<>();
        // A job restarted right after the one that tore the commit meets it young: wait until it is settled.
        for (FileStatus file : settled(awaitSettled(meta.get()), System.currentTimeMillis())) {
            String instant = file.getPath().getName().substring(0, file.getPath().getName().indexOf('.'));
            try {
                int deleted = deleteFilesOf(fs, new Path(meta.get().getBasePathV2().toString()), instant);
                if (!fs.delete(file.getPath(), false)) {
                    throw new IOException("Cannot delete " + file.getPath());
                }
                LOG.warn("Lake table {}: clustering {} was stopped while it committed; its {} file(s) are deleted and it runs again",
                        path, instant, deleted);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot reopen the unfinished clustering " + file.getPath(), e);
            }
            reopened.add(instant);
        }
        return reopened;
    }

    /**
     * Deletes the data files {@code instant} wrote (their names end with it). Hudi's rollback
     * finds them by the markers a failed commit leaves, but a commit can also have got past
     * deleting its markers: the clustering's output would then stay beside the files it
     * rewrites once it runs again under the same instant, and every row would read twice.
     */
    private static int deleteFilesOf(FileSystem fs, Path table, String instant) throws IOException {
        String suffix = "_" + instant + ".parquet";
        List<Path> written = new ArrayList<>();
        RemoteIterator<LocatedFileStatus> files = fs.listFiles(table, true);
        while (files.hasNext()) {
            Path file = files.next().getPath();
            if (file.getName().endsWith(suffix) && !file.toUri().getPath().contains("/" + HoodieTableMetaClient.METAFOLDER_NAME + "/")) {
                written.add(file);
            }
        }
        for (Path file : written) {
            if (!fs.delete(file, false) && fs.exists(file)) {
                throw new IOException("Cannot delete " + file);
            }
        }
        return written.size();
    }

    /**
     * Fails with one line when the table has an unfinished clustering; a completed clustering
     * still being written is waited for.
     *
     * @throws SetupException naming the table, the instant and the fix
     */
    static void checkReadable(HoodieTableMetaClient client, String name) {
        List<FileStatus> unfinished = awaitSettled(client);
        if (!unfinished.isEmpty()) {
            throw new SetupException("Lake table " + name + " has a clustering that a stopped job left unfinished ("
                    + unfinished.get(0).getPath() + " is empty), which would read every row it rewrote twice: start the job"
                    + " again (lakehouse run --from-savepoint latest), which runs the clustering again");
        }
    }

    /**
     * The empty completed clusterings once none of them is young enough for a writer to be
     * filling it still: those filled meanwhile are gone from the list.
     */
    private static List<FileStatus> awaitSettled(HoodieTableMetaClient client) {
        List<FileStatus> empty = emptyCompletedClusterings(client);
        while (settled(empty, System.currentTimeMillis()).size() < empty.size()) {
            sleep(100);
            empty = emptyCompletedClusterings(client);
        }
        return empty;
    }

    /** Those of {@code empty} that no writer can still be filling at {@code now}. */
    private static List<FileStatus> settled(List<FileStatus> empty, long now) {
        return empty.stream().filter(file -> now - file.getModificationTime() >= WRITER_GRACE.toMillis()).toList();
    }

    private static List<FileStatus> emptyCompletedClusterings(HoodieTableMetaClient client) {
        FileSystem fs = client.getFs();
        if (!"file".equals(fs.getScheme())) {
            return List.of();
        }
        List<FileStatus> empty = new ArrayList<>();
        for (HoodieInstant instant : client.getActiveTimeline().getCompletedReplaceTimeline().getInstants()) {
            Path file = new Path(client.getMetaPath(), instant.getFileName());
            try {
                FileStatus status = fs.getFileStatus(file);
                if (status.getLen() == 0) {
                    empty.add(status);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + file, e);
            }
        }
        return empty;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while a clustering commit was being written", e);
        }
    }
}
