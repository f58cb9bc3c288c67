package io.lakehousecdc.app.control;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Looks for {@link NewTables} while the job runs, at start and then every {@code interval},
 * and reports each table (and each source that cannot be listed) once.
 */
public final class NewTableWatch implements AutoCloseable {

    private final ScheduledExecutorService timer;
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    private NewTableWatch(ControlPlane control, Duration interval, Consumer<String> report) {
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "new-table-watch");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(() -> look(control, report), 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    public static NewTableWatch start(ControlPlane control, Duration interval, Consumer<String> report) {
        return new NewTableWatch(control, interval, report);
    }

    private void look(ControlPlane control, Consumer<String> report) {
        try {
            NewTables tables = NewTables.look(control);
            for (NewTables.Found found : tables.found()) {
                if (reported.add(found.rule().source() + " " + found.table())) {
                    report.accept("new table " + found.rule().source() + " " + found.table() + " is taken by the onboarding "
                            + found.rule() + " but not captured: add it with '" + found.addCommand()
                            + "' and restart the job from a savepoint");
                }
            }
            tables.problems().stream().filter(reported::add).forEach(report);
        } catch (RuntimeException | LinkageError e) { // anything else would end the looks silently
            if (reported.add(String.valueOf(e.getMessage()))) {
                report.accept("cannot look for new tables: " + e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
