package io.lakehousecdc.app.feed;

import io.lakehousecdc.app.config.LakeLayout;
import io.lakehousecdc.app.config.LakehouseConfig;
import io.lakehousecdc.app.control.ControlPlane;
import io.lakehousecdc.core.SetupException;
import io.lakehousecdc.lake.ChangeLogGapException;
import io.lakehousecdc.lake.LakeStorage;
import io.lakehousecdc.lake.RawZoneLog;
import io.lakehousecdc.lake.RawZoneSink;
import io.lakehousecdc.warehouse.ApplyResult;
import io.lakehousecdc.warehouse.WarehouseFeed;
import io.lakehousecdc.warehouse.WarehouseOptions;
import io.lakehousecdc.warehouse.model.Model;
import io.lakehousecdc.warehouse.model.ModelLoader;

import org.apache.flink.configuration.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Runs the warehouse feed: follows the raw-zone change logs of the lake tables the models read
 * and applies each new commit to the warehouse. The feed only reads what the job has committed,
 * so a warehouse outage never holds up the lake; while the warehouse fails, the feed retries
 * with a doubling wait and then catches up from its bookkeeping.
 */
public final class WarehouseFeedRunner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WarehouseFeedRunner.class);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);

    private final LakehouseConfig config;
    private final Duration pollInterval;
    private final Duration maxRetryDelay;
    private final Thread thread;
    private final Object progress = new Object();
    private long cycles;
    private long batches;
    private volatile boolean stopped;
    private volatile RuntimeException failure;

    private WarehouseFeedRunner(LakehouseConfig config) {
        this.config = config;
        this.pollInterval = config.warehouse().get(WarehouseOptions.POLL_INTERVAL);
        this.maxRetryDelay = config.warehouse().get(WarehouseOptions.MAX_RETRY_DELAY);
        this.thread = new Thread(this::loop, "warehouse-feed");
        this.thread.setDaemon(true);
    }

    /** Whether the configuration has warehouse models to feed ({@code warehouse.models}). */
    public static boolean configured(LakehouseConfig config) {
        return config.warehouse().getOptional(WarehouseOptions.MODELS).isPresent();
    }

    /**
     * Applies every lake commit the models do not have yet, once.
     *
     * @return what was applied, empty when a table the models read has no commit yet
     */
    public static List<ApplyResult> runOnce(LakehouseConfig config) {
        Optional<OpenFeed> open = OpenFeed.open(config);
        if (open.isEmpty()) {
            return List.of();
        }
        try (OpenFeed feed = open.get()) {
            return feed.catchUp();
        }
    }

    /** Starts the feed on a thread of its own; {@link #close()} stops it. */
    public static WarehouseFeedRunner start(LakehouseConfig config) {
        WarehouseFeedRunner runner = new WarehouseFeedRunner(config);
        runner.thread.start();
        return runner;
    }

    /** What stopped the feed for good (a setup mistake, or a lake that moved past it), if anything. */
    public Optional<RuntimeException> failure() {
        return Optional.ofNullable(failure);
    }

    /** Lake commits applied since the start. */
    public long appliedBatches() {
        synchronized (progress) {
            return batches;
        }
    }

    /**
     * Waits until a pass over the lake that started after this call has finished, so that every
     * commit made before the call is applied.
     *
     * @return false when {@code timeout} passed first or the feed has stopped
     */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (progress) {
            long target = cycles + 2;
            while (cycles < target && failure == null && !stopped) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                progress.wait(Math.max(1, left / 1_000_000));
            }
            return cycles >= target;
        }
    }

    private void loop() {
        OpenFeed feed = null;
        Duration retry = FIRST_RETRY;
        while (!stopped) {
            try {
                if (feed == null) {
                    feed = OpenFeed.open(config).orElse(null);
                }
                if (feed != null) {
                    List<ApplyResult> applied = feed.catchUp();
                    synchronized (progress) {
                        batches += applied.stream().filter(r -> !r.applied().isEmpty()).count();
                        cycles++;
                        progress.notifyAll();
                    }
                }
                retry = FIRST_RETRY;
                sleep(pollInterval);
            } catch (SetupException e) {
                if (!isConnectionFailure(e)) {
                    stopFor(e);
                    continue;
                }
                retry = retryAfter(e, feed, retry);
                feed = null;
            } catch (RuntimeException e) {
                if (stopped) {
                    break;
                }
                retry = retryAfter(e, feed, retry);
                feed = null;
            } catch (Error e) {
                stopFor(new IllegalStateException("The warehouse feed failed: " + e, e));
            }
        }
        closeQuietly(feed);
    }

    /** Logs the failure, closes the feed, waits {@code retry} and returns the next wait. */
    private Duration retryAfter(RuntimeException e, OpenFeed feed, Duration retry) {
        if (retry.equals(FIRST_RETRY)) {
            LOG.warn("The warehouse feed failed, retrying in {}: {}", retry, rootMessage(e), e);
        } else {
            LOG.warn("The warehouse feed failed again, retrying in {}: {}", retry, rootMessage(e));
        }
        closeQuietly(feed);
        sleep(retry);
        Duration next = retry.multipliedBy(2);
        return next.compareTo(maxRetryDelay) > 0 ? maxRetryDelay : next;
    }

    /**
     * Whether {@code e} comes from a database that could not be reached (the control plane, say):
     * an outage to wait out, not a mistake to stop for.
     */
    private static boolean isConnectionFailure(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")
                    || cause instanceof ConnectException) {
                return true;
            }
        }
        return false;
    }

    private void stopFor(RuntimeException e) {
        LOG.error("The warehouse feed stopped: {}", e.getMessage());
        synchronized (progress) {
            failure = e;
            progress.notifyAll();
        }
        stopped = true;
    }

    private void sleep(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped = true;
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? e.toString() : e + " (" + root + ")";
    }

    private static void closeQuietly(OpenFeed feed) {
        if (feed != null) {
            try {
                feed.close();
            } catch (RuntimeException e) {
                LOG.debug("Closing the warehouse connection failed", e);
            }
        }
    }

    /** Stops the feed; a batch being applied is rolled back or finished, never half applied. */
    @Override
    public void close() throws InterruptedException {
        stopped = true;
        thread.interrupt();
        thread.join(Duration.ofSeconds(30).toMillis());
        synchronized (progress) {
            progress.notifyAll();
        }
    }

    /** A warehouse connection with the models, and the change logs of the tables they read. */
    private record OpenFeed(WarehouseFeed feed, RawZoneBatches source, String schema) implements AutoCloseable {

        /** Empty while a table the models read has no commit yet. */
        static Optional<OpenFeed> open(LakehouseConfig config) {
            Configuration warehouse = config.warehouse();
            List<Model> models = ModelLoader.load(Path.of(warehouse.get(WarehouseOptions.MODELS)));
            List<Configuration> captured = ControlPlane.tablesOf(config, true);
            Set<String> lakeNames = LakeLayout.processedTables(config, captured).keySet();
            Map<String, String> rawPaths = new LinkedHashMap<>();
            LakeLayout.rawTables(config, captured).forEach((name, path) ->
                    rawPaths.put(name.substring(0, name.length() - RawZoneSink.NAME_SUFFIX.length()), path));
            LakeStorage storage = LakeStorage.from(config.global());
            Map<String, RawZoneLog> logs = new LinkedHashMap<>();
            List<String> waiting = new ArrayList<>();
            for (Model model : models) {
                String table = model.lakeTable();
                if (table == null || logs.containsKey(table)) {
                    continue;
                }
                String where = "Model file " + model.origin() + ", model " + model.name() + ": ";
                if (!lakeNames.contains(table)) {
                    throw new SetupException(where + "lake table '" + table + "' is not captured: capture it (lakehouse tables add)"
                            + " or fix lake-table; captured are " + String.join(", ", lakeNames));
                }
                if (!rawPaths.containsKey(table)) {
                    throw new SetupException(where + "lake table '" + table + "' keeps no raw zone, which is what the warehouse"
                            + " feed reads: set raw-zone: true for it");
                }
                Optional<RawZoneLog> log = RawZoneLog.open(rawPaths.get(table), storage);
                if (log.isEmpty()) {
                    waiting.add(table);
                } else {
                    logs.put(table, log.get());
                }
            }
            if (!waiting.isEmpty()) {
                LOG.info("The warehouse feed waits for the first commit of {}", waiting);
                return Optional.empty();
            }
            if (ControlPlane.configured(config)) {
                ControlPlane.open(config).recordModels(definitions(models), "lakehouse feed");
            }
            RawZoneBatches source = new RawZoneBatches(logs);
            return Optional.of(new OpenFeed(WarehouseFeed.open(warehouse, source.lakeTypes()), source, warehouse.get(WarehouseOptions.SCHEMA)));
        }

        private static List<ControlPlane.ModelDefinition> definitions(List<Model> models) {
            List<ControlPlane.ModelDefinition> definitions = new ArrayList<>();
            for (Model model : models) {
                String kind = switch (model.kind()) {
                    case FACT -> "fact";
                    case SCD1_DIMENSION -> "scd1";
                    case SCD2_DIMENSION -> "scd2";
                    case REPORT -> "report";
                };
                try {
                    definitions.add(new ControlPlane.ModelDefinition(model.name(), kind, Files.readString(Path.of(model.origin()))));
                } catch (IOException e) {
                    throw new UncheckedIOException("Cannot read model file " + model.origin(), e);
                }
            }
            return definitions;
        }

        List<ApplyResult> catchUp() {
            try {
                List<ApplyResult> results = feed.catchUp(source);
                for (ApplyResult result : results) {
                    if (!result.applied().isEmpty()) {
                        LOG.info("Applied lake commit {} of {} to {}{}", result.instant(), result.lakeTable(), result.applied(),
                                result.refreshed().isEmpty() ? "" : "; refreshed " + result.refreshed());
                    }
                }
                return results;
            } catch (ChangeLogGapException e) {
                throw new SetupException(e.getMessage() + ", before the warehouse models got them. Rebuild the models of that"
                        + " table: drop their tables and delete their rows from " + schema + ".lakehouse_feed_state; the feed"
                        + " then loads the table's whole history", e);
            }
        }

        @Override
        public void close() {
            feed.close();
        }
    }
}
