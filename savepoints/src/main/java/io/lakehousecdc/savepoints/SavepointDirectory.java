package io.lakehousecdc.savepoints;

import io.lakehousecdc.core.SetupException;

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
 * The savepoints and retained checkpoints under a directory: local, any file system Flink
 * reaches, or S3 ({@code s3://}, {@code s3a://}). Recognises the layouts Flink writes:
 * {@code <dir>/savepoint-*}, {@code <dir>/<job id>/chk-<n>}, and the same one level deeper (a
 * savepoint directory kept beside the checkpoints).
 */
public final class SavepointDirectory {

    private final String root;
    private final SavepointStore store;

    private SavepointDirectory(String root, SavepointStore store) {
        this.root = root;
        this.store = store;
    }

    /** The directory at {@code uri}; on S3 with the region and credentials of the environment. */
    public static SavepointDirectory at(String uri) {
        return at(uri, S3Access.fromEnvironment());
    }

    public static SavepointDirectory at(String uri, S3Access s3) {
        return new SavepointDirectory(uri, S3Access.handles(uri) ? new S3Store(uri, s3) : new FileSystemStore(uri));
    }

    /** Everything complete under the directory, newest first. */
    public List<StoredSavepoint> list() {
        try {
            List<StoredSavepoint> found = new ArrayList<>(store.find());
            found.sort(Comparator.comparing(StoredSavepoint::completedAt).reversed());
            return found;
        } catch (IOException e) {
            throw new SetupException("Cannot list savepoints under " + root + ": " + SetupException.firstLine(e)
                    + "; check the path and the storage's credentials", e);
        }
    }

    /** The newest complete savepoint or checkpoint. */
    public Optional<StoredSavepoint> latest() {
        List<StoredSavepoint> all = list();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
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
                try {
                    store.delete(candidate.path());
                } catch (IOException e) {
                    throw new SetupException("Cannot delete " + candidate.path() + ": " + SetupException.firstLine(e)
                            + "; check the storage's permissions", e);
                }
            }
            deleted.add(candidate);
        }
        return deleted;
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
