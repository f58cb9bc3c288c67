package io.lakehousecdc.app;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C (or SIGTERM) as a request to the command's main thread to stop cleanly. The shutdown
 * hook only raises the request and waits for the main thread to say it has finished, so the
 * cleanup runs in one place and the JVM does not exit halfway through it.
 */
public final class StopSignal {
    private static final long CLEANUP_MINUTES = 3;

    private final CountDownLatch requested = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);

    private StopSignal() {}

    public static StopSignal install() {
        StopSignal signal = new StopSignal();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            signal.requested.countDown();
            try {
                signal.finished.await(CLEANUP_MINUTES, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "stop-signal"));
        return signal;
    }

    public boolean isRequested() {
        return requested.getCount() == 0;
    }

    /** Waits up to {@code millis} for a stop request; true if one came. */
    public boolean await(long millis) throws InterruptedException {
        return requested.await(millis, TimeUnit.MILLISECONDS);
    }

    /** Tells a waiting shutdown hook that cleanup is done. */
    public void finished() {
        finished.countDown();
    }
}
