package io.lakehousecdc.app.bench;

import io.lakehousecdc.app.query.LakeQuery;
import io.lakehousecdc.lake.LakeCatalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Follows a lake table's Hudi timeline: each completed write becomes a point at its completion
 * time. With revisions, an incremental query of just that commit finds the highest revision it
 * made visible.
 */
final class LakeProgress implements Progress, AutoCloseable {

    private final String path;
    private final boolean revisions;
    private final List<Point> points = new ArrayList<>();
    private final Thread poller;
    private volatile boolean closed;
    private volatile RuntimeException failure;
    private volatile long polledSince;
    private String lastInstant = "";
    private LakeQuery query;

    LakeProgress(String path, boolean revisions) {
        this.path = path;
        this.revisions = revisions;
        this.poller = new Thread(this::poll, "bench-lake-progress");
        poller.setDaemon(true);
        poller.start();
    }

    private void poll() {
        while (!closed) {
            try {
                long pollStart = System.currentTimeMillis();
                long rows = points.isEmpty() ? 0 : points.get(points.size() - 1).rows();
                long revision = points.isEmpty() ? 0 : points.get(points.size() - 1).revision();
                for (LakeCatalog.Commit commit : LakeCatalog.writeCommits(path)) {
                    if (commit.instant().compareTo(lastInstant) <= 0) {
                        continue;
                    }
                    rows += commit.changes();
                    if (revisions) {
                        revision = Math.max(revision, highestRevision(commit.instant()));
                    }
                    synchronized (points) {
                        points.add(new Point(rows, revision, commit.completedAt().toEpochMilli()));
                    }
                    lastInstant = commit.instant();
                }
                polledSince = pollStart;
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                failure = new IllegalStateException("Cannot follow the lake table at " + path + ": " + e.getMessage(), e);
                return;
            }
        }
    }

    private long highestRevision(String instant) throws Exception {
        if (query == null) {
            query = LakeQuery.over(Map.of("bench", path));
        }
        Object max = query.run("SELECT MAX(revision) FROM bench /*+ OPTIONS('read.start-commit'='" + instant
                + "', 'read.end-commit'='" + instant + "') */").rows().get(0).getField(0);
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
