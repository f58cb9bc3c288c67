package io.lakehousecdc.app.bench;

import io.lakehousecdc.app.demo.ClinicWorkload;

import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

/**
 * Changes the benchmark table at a steady, adjustable rate from a thread of its own, in small
 * transactions (at most 20 ms of changes each), and remembers when each revision was committed.
 */
final class Traffic implements AutoCloseable {

    private final ClinicWorkload workload;
    private final long firstRevision;
    private final Thread thread;
    private volatile int rate;
    private volatile boolean stopped;
    private volatile long lastRevision;
    private volatile RuntimeException failure;
    private long[] committedAt = new long[1 << 16];

    private Traffic(ClinicWorkload workload, int rate) {
        this.workload = workload;
        this.rate = rate;
        this.firstRevision = workload.revision() + 1;
        this.lastRevision = workload.revision();
        this.thread = new Thread(this::drive, "bench-traffic");
        thread.setDaemon(true);
    }

    static Traffic start(ClinicWorkload workload, int rate) {
        Traffic traffic = new Traffic(workload, rate);
        traffic.thread.start();
        return traffic;
    }

    void rate(int changesPerSecond) {
        this.rate = changesPerSecond;
    }

    private void drive() {
        long last = System.nanoTime();
        double due = 0;
        try {
            while (!stopped) {
                long now = System.nanoTime();
                int perSecond = rate;
                due = Math.min(due + perSecond * (now - last) / 1e9, perSecond); // no burst after a stall
                last = now;
                int batch = (int) Math.min(due, Math.max(1, perSecond / 50));
                if (batch < 1) {
                    LockSupport.parkNanos(1_000_000);
                    continue;
                }
                long revision = workload.changeConsultations(batch);
                record(revision, System.currentTimeMillis());
                due -= batch;
            }
        } catch (Exception e) {
            failure = new IllegalStateException("The benchmark's changes to the source failed: " + e.getMessage(), e);
        }
    }

    private synchronized void record(long revision, long at) {
        int to = (int) (revision - firstRevision);
        if (to >= committedAt.length) {
            committedAt = Arrays.copyOf(committedAt, Math.max(committedAt.length * 2, to + 1));
        }
        Arrays.fill(committedAt, (int) (lastRevision + 1 - firstRevision), to + 1, at);
        lastRevision = revision;
    }

    /** The revision before the first one this traffic made. */
    long baseRevision() {
        return firstRevision - 1;
    }

    /** The newest revision committed at the source. */
    long lastRevision() {
        check();
        return lastRevision;
    }

    /** When {@code revision} (made by this traffic) was committed, epoch ms. */
    synchronized long committedAt(long revision) {
        return committedAt[(int) (revision - firstRevision)];
    }

    /** The newest revision committed at or before {@code at}, or the base revision. */
    synchronized long revisionAt(long at) {
        int low = 0;
        int high = (int) (lastRevision - firstRevision + 1); // commit times never decrease: bisect
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (committedAt[mid] <= at) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return firstRevision - 1 + low;
    }

    private void check() {
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        thread.join(30_000);
        check();
    }
}
