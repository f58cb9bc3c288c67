package io.lakehousecdc.app;

import io.lakehousecdc.app.config.LakehouseConfig;
import io.lakehousecdc.app.failed.FailedEvent;
import io.lakehousecdc.app.failed.FailedEventStore;
import io.lakehousecdc.app.failed.FailedEventStores;
import io.lakehousecdc.app.failed.Reprocess;
import io.lakehousecdc.core.PipelineOptions;
import io.lakehousecdc.core.SetupException;

import org.apache.flink.util.TimeUtils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code lakehouse failed}: the changes that could not be converted, as the job kept them, and their reprocessing. */
@Command(name = "failed", mixinStandardHelpOptions = true,
        description = "Lists, shows and reprocesses the changes that could not be converted (failed-events.store).",
        subcommands = {FailedCommand.ListEvents.class, FailedCommand.Show.class, FailedCommand.ReprocessEvents.class})
final class FailedCommand {

    private static ZoneId zone(LakehouseConfig config) {
        return ZoneId.of(config.global().get(PipelineOptions.TIMEZONE));
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the failed events, oldest first.")
    static final class ListEvents implements Callable<Integer> {
        @Mixin
        ConfigOptionsMixin options;

        @Option(names = "--table", paramLabel = "LAKE_TABLE", description = "Only this lake table's (<source>_<database>_<table>).")
        String table;

        @Option(names = "--since", paramLabel = "TIME|AGE",
                description = "Only those that failed since a time in the pipeline's zone (2026-11-27T10:00, 2026-11-27) or an age (90min, 2h, 1d).")
        String since;

        @Override
        public Integer call() {
            LakehouseConfig config = options.load();
            ZoneId zone = zone(config);
            List<FailedEvent> events;
            try (FailedEventStore store = FailedEventStores.open(config)) {
                events = store.list(table, since == null ? null : since(since, zone));
            }
            DateTimeFormatter time = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(zone);
            String format = "%-64s  %-19s  %-11s  %s%n";
            System.out.printf(format, "ID", "FAILED AT (" + zone.getId() + ")", "STATE", "ERROR");
            for (FailedEvent event : events) {
                String error = event.error().length() <= 100 ? event.error() : event.error().substring(0, 97) + "...";
                System.out.printf(format, event.id(), time.format(event.failedAt()), event.reprocessed() ? "reprocessed" : "failed", error);
            }
            long open = events.stream().filter(e -> !e.reprocessed()).count();
            System.out.println(events.size() + " failed events, " + open + " not reprocessed;"
                    + " 'lakehouse failed show ID' prints one whole.");
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Prints one failed event whole, its payload included.")
    static final class Show implements Callable<Integer> {
        @Mixin
        ConfigOptionsMixin options;

        @Parameters(paramLabel = "ID", description = "<lake table>@<position>-<digest>, as 'failed list' prints it.")
        String id;

        @Override
        public Integer call() {
            LakehouseConfig config = options.load();
            FailedEvent event;
            try (FailedEventStore store = FailedEventStores.open(config)) {
                event = store.find(id).orElseThrow(() -> new SetupException(
                        "No failed event " + id + ": 'lakehouse failed list' prints the ids (<lake table>@<position>-<digest>)"));
            }
            ZoneId zone = zone(config);
            System.out.println("id:           " + event.id());
            System.out.println("source:       " + event.source());
            System.out.println("source table: " + event.sourceTable());
            System.out.println("position:     " + event.position());
            System.out.println("failed at:    " + event.failedAt().atZone(zone).toLocalDateTime() + " " + zone.getId());
            System.out.println("state:        " + (event.reprocessed()
                    ? "reprocessed at " + event.reprocessedAt().atZone(zone).toLocalDateTime() + " " + zone.getId()
                    : "failed" + (event.attempts() == 0 ? "" : ", " + event.attempts() + " reprocess attempts")));
            System.out.println("error:        " + event.error());
            System.out.println("payload:      " + event.payload());
            return 0;
        }
    }

    @Command(name = "reprocess", mixinStandardHelpOptions = true,
            description = "Converts the failed events again with the current configuration and writes those that now"
                    + " convert to the lake, in source order; run it while the pipeline is stopped.")
    static final class ReprocessEvents implements Callable<Integer> {
        @Mixin
        ConfigOptionsMixin options;

        @Option(names = "--table", paramLabel = "LAKE_TABLE", description = "Only this lake table's (<source>_<database>_<table>).")
        String table;

        @Option(names = "--since", paramLabel = "TIME|AGE", description = "Only those that failed since then, as for 'failed list'.")
        String since;

        @Override
        public Integer call() throws Exception {
            LakehouseConfig config = options.load();
            Reprocess.Outcome outcome = Reprocess.run(config, table, since == null ? null : since(since, zone(config)));
            System.out.println("Reprocessed: " + outcome.written() + " written to the lake"
                    + (outcome.superseded() == 0 ? "" : " (" + outcome.superseded() + " to the change log only: their key changed again later)")
                    + (outcome.alreadyInLake() == 0 ? "" : ", " + outcome.alreadyInLake() + " already there (marked only)")
                    + ", " + outcome.failingAgain().size() + " still failing.");
            for (FailedEvent event : outcome.failingAgain()) {
                System.out.println("  " + event.id() + ": " + event.error());
            }
            return outcome.failingAgain().isEmpty() ? 0 : 1;
        }
    }

    /** {@code value} as an age back from now, a date-time or a date in {@code zone}. */
    static Instant since(String value, ZoneId zone) {
        try {
            return Instant.now().minus(TimeUtils.parseDuration(value));
        } catch (IllegalArgumentException notAnAge) {
            try {
                return LocalDateTime.parse(value).atZone(zone).toInstant();
            } catch (DateTimeParseException notADateTime) {
                try {
                    return LocalDate.parse(value).atStartOfDay(zone).toInstant();
                } catch (DateTimeParseException notADate) {
                    throw new SetupException("--since '" + value + "' is neither an age (90min, 2h, 1d) nor a time"
                            + " (2026-11-27T10:00) or date (2026-11-27) in " + zone.getId());
                }
            }
        }
    }
}
