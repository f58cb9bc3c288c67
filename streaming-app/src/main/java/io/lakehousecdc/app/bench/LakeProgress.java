package io.lakehousecdc.app.bench;

import io.lakehousecdc.app.query.LakeQuery;
import io.lakehousecdc.lake.LakeCatalog;
import io.lakehousecdc.lake.LakeStorage;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Follows a lake table's Hudi timeline: each completed write becomes a point at its completion
 * time. With revisions, a snapshot query after each new commit finds the highest revision
 * visible; when more commits complete during the query, the point takes the newest one's time,
 * which can only make a change look later than it became visible, never earlier.
 */
final class LakeProgress implements Progress, AutoCloseable {
    /** How long the table may stay unreadable before the benchmark gives up on it. */
    private static final long UNREADABLE_FOR_MS = 30_000;

    private final String path;
    private final LakeStorage storage;
    private final boolean revisions;
    private final List<Point> points = new ArrayList<>();
    private final Thread poller;
    private volatile boolean closed;
    private volatile RuntimeException failure;
    private volatile long polledSince;
    private String lastInstant = "";
    private LakeQuery query;

    LakeProgress(String path, LakeStorage storage, boolean revisions) {
        this.path = path;
        this.storage = storage;
        this.revisions = revisions;
        this.poller = new Thread(this::poll, "bench-lake-progress");
        poller.setDaemon(true);
        poller.start();
    }

    private void poll() {
        long failingSince = 0;
        while (!closed) {
            long pollStart = System.currentTimeMillis();
            try {
                List<LakeCatalog.Commit> fresh = newCommits();
                if (!fresh.isEmpty()) {
                    long at = fresh.get(fresh.size() - 1).completedAt().toEpochMilli();
                    long revision = lastPoint().revision();
                    if (revisions) {
                        revision = Math.max(revision, highestRevision());
                        // Commits that completed while querying may be in the answer: it holds as of the
                        // newest of them. They are queried again on the next round, on their own.
                        List<LakeCatalog.Commit> after = newCommits();
                        at = after.get(after.size() - 1).completedAt().toEpochMilli();
                    }
                    long rows = lastPoint().rows() + fresh.stream().mapToLong(LakeCatalog.Commit::changes).sum();
                    synchronized (points) {
                        points.add(new Point(rows, revision, at));
                    }
                    lastInstant = fresh.get(fresh.size() - 1).instant();
                }
                polledSince = pollStart;
                failingSince = 0;
            } catch (InterruptedException e) {
                return;
            } catch (Exception | LinkageError e) {
                // Hudi creates an instant file and then writes its content, so a read while the
                // writer schedules a compaction or a clean can meet an empty plan: the next round
                // reads it whole. A table that stays unreadable ends the benchmark.
                failingSince = failingSince == 0 ? pollStart : failingSince;
                if (pollStart - failingSince > UNREADABLE_FOR_MS) {
                    failure = new IllegalStateException("Cannot follow the lake table at " + path + ": " + e, e);
                    return;
                }
                query = null; // the next one reads the table's metadata afresh
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private List<LakeCatalog.Commit> newCommits() {
        return LakeCatalog.writeCommits(path, storage).stream().filter(c -> c.instant().compareTo(lastInstant) > 0).toList();
    }

    private Point lastPoint() {
        synchronized (points) {
            return points.isEmpty() ? new Point(0, 0, 0) : points.get(points.size() - 1);
        }
    }

    /**
     * The highest revision in a snapshot query of the table. (Hudi 0.14's Flink incremental read
     * of a single commit would be exact, but it needs Hive classes.)
     */
    private long highestRevision() throws Exception {
        if (query == null) {
            query = LakeQuery.over(Map.of("bench", path), storage);
        }
        Object max = query.run("SELECT MAX(revision) FROM bench").rows().get(0).getField(0);
        return max == null ? 0 : ((Number) max).longValue();
    }

    /** Every commit that completed before this time (epoch ms) is among the points. */
    long polledSince() {
        return polledSince;
    }

    @Override
    public List<Point> points() {
        if (failure != null) {
            throw failure;
        }
        synchronized (points) {
            return List.copyOf(points);
        }
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        poller.interrupt();
        poller.join(30_000);
    }
}
