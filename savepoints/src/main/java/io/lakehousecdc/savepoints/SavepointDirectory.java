package io.lakehousecdc.savepoints;

import io.lakehousecdc.core.SetupException;

import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The savepoints and retained checkpoints under a directory, local or on any file system Flink
 * reaches (e.g. {@code s3://}). Recognises the layouts Flink writes: {@code <dir>/savepoint-*},
 * {@code <dir>/<job id>/chk-<n>}, and the same one level deeper (a savepoint directory kept
 * beside the checkpoints).
 */
public final class SavepointDirectory {

    private static final String METADATA = "_metadata";
    private static final int DEPTH = 3;

    private final Path root;

    private SavepointDirectory(Path root) {
        this.root = root;
    }

    public static SavepointDirectory at(String uri) {
        return new SavepointDirectory(new Path(uri));
    }

    /** Everything complete under the directory, newest first. */
    public List<StoredSavepoint> list() {
        try {
            FileSystem fs = root.getFileSystem();
            List<StoredSavepoint> found = new ArrayList<>();
            if (fs.exists(root)) {
                collect(fs, root, DEPTH, found);
            }
            found.sort(Comparator.comparing(StoredSavepoint::completedAt).reversed());
            return found;
        } catch (IOException e) {
            throw new SetupException("Cannot list savepoints under " + root + ": " + SetupException.firstLine(e)
                    + "; check the path and the file system's credentials", e);
        }
    }

    /** The newest complete savepoint or checkpoint. */
    public Optional<StoredSavepoint> latest() {
        List<StoredSavepoint> all = list();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    }

    private static void collect(FileSystem fs, Path dir, int depth, List<StoredSavepoint> found) throws IOException {
        FileStatus[] children = fs.listStatus(dir);
        if (children == null) {
            return;
        }
        for (FileStatus child : children) {
            if (!child.isDir()) {
                continue;
            }
            Path candidate = child.getPath();
            Path metadata = new Path(candidate, METADATA);
            if (fs.exists(metadata)) {
                found.add(describe(fs, candidate, fs.getFileStatus(metadata)));
            } else if (depth > 1) {
                collect(fs, candidate, depth - 1, found);
            }
        }
    }

    private static StoredSavepoint describe(FileSystem fs, Path dir, FileStatus metadata) throws IOException {
        String name = dir.getName();
        boolean savepoint = name.startsWith("savepoint-");
        String job = savepoint ? name.substring("savepoint-".length()).split("-", 2)[0] : dir.getParent().getName();
        return new StoredSavepoint(dir.toString(), savepoint ? StoredSavepoint.Kind.SAVEPOINT : StoredSavepoint.Kind.CHECKPOINT,
                job, Instant.ofEpochMilli(metadata.getModificationTime()), size(fs, dir));
    }

    private static long size(FileSystem fs, Path dir) throws IOException {
        long bytes = 0;
        for (FileStatus status : fs.listStatus(dir)) {
            bytes += status.isDir() ? size(fs, status.getPath()) : status.getLen();
        }
        return bytes;
    }

    /**
     * Deletes what the retention does not keep. The newest one is always kept, and so is every
     * path in {@code protectedPaths} (what running jobs were restored from).
     *
     * @return what was deleted, or with {@code dryRun} what would be
     */
    public List<StoredSavepoint> prune(Retention retention, Set<String> protectedPaths, Instant now, boolean dryRun) {
        Set<String> keep = protectedPaths.stream().map(SavepointDirectory::comparable).collect(Collectors.toSet());
        List<StoredSavepoint> all = list();
        List<StoredSavepoint> deleted = new ArrayList<>();
        for (int rank = 1; rank < all.size(); rank++) {
            StoredSavepoint candidate = all.get(rank);
            if (retention.keeps(rank, Duration.between(candidate.completedAt(), now)) || keep.contains(comparable(candidate.path()))) {
                continue;
            }
            if (!dryRun) {
                delete(candidate);
            }
            deleted.add(candidate);
        }
        return deleted;
    }

    private static void delete(StoredSavepoint savepoint) {
        Path path = new Path(savepoint.path());
        try {
            path.getFileSystem().delete(path, true);
        } catch (IOException e) {
            throw new SetupException("Cannot delete " + path + ": " + SetupException.firstLine(e)
                    + "; check the file system's permissions", e);
        }
    }

    /** A path without its scheme, so that {@code file:/a}, {@code file:///a} and {@code /a} compare equal. */
    private static String comparable(String path) {
        URI uri = new Path(path).toUri();
        String p = (uri.getAuthority() == null ? "" : "//" + uri.getAuthority()) + uri.getPath();
        return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    /**
     * Which savepoints to keep: the newest {@code keepNewest}, and those younger than
     * {@code maxAge}; either may be absent (null), not both.
     */
    public record Retention(Integer keepNewest, Duration maxAge) {

        public Retention {
            if (keepNewest == null && maxAge == null) {
                throw new SetupException("Say what to keep: --keep N (the newest N) and/or --max-age D (younger than D)");
            }
            if (keepNewest != null && keepNewest < 1) {
                throw new SetupException("--keep " + keepNewest + " would delete every savepoint: keep at least 1");
            }
        }

        /** @param rank 0 for the newest */
        boolean keeps(int rank, Duration age) {
            return keepNewest != null && rank < keepNewest || maxAge != null && age.compareTo(maxAge) < 0;
        }
    }
}
