package io.lakehousecdc.app;

import io.lakehousecdc.app.config.LakeLayout;
import io.lakehousecdc.app.config.LakehouseConfig;
import io.lakehousecdc.app.failed.FailedEvents;
import io.lakehousecdc.core.PipelineOptions;
import io.lakehousecdc.core.SetupException;
import io.lakehousecdc.lake.LakeStorage;

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

/** {@code lakehouse failed}: the changes that could not be converted, as the job kept them. */
@Command(name = "failed", mixinStandardHelpOptions = true,
        description = "Lists and shows the changes that could not be converted, kept under <base-path>/_failed_events/<source>/.",
        subcommands = {FailedCommand.ListEvents.class, FailedCommand.Show.class})
final class FailedCommand {

    private static FailedEvents events(LakehouseConfig config) {
        return FailedEvents.under(LakeLayout.basePath(config.global()), LakeStorage.from(config.global()));
    }

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
            List<FailedEvents.Event> events = events(config).list(table, since == null ? null : since(since, zone));
            DateTimeFormatter time = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(zone);
            String format = "%-48s  %-19s  %s%n";
            System.out.printf(format, "ID", "FAILED AT (" + zone.getId() + ")", "ERROR");
            for (FailedEvents.Event event : events) {
                String error = event.error().length() <= 100 ? event.error() : event.error().substring(0, 97) + "...";
                System.out.printf(format, event.id(), time.format(event.failedAt()), error);
            }
            System.out.println(events.size() + " failed events; 'lakehouse failed show ID' prints one whole.");
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Prints one failed event whole, its payload included.")
    static final class Show implements Callable<Integer> {
        @Mixin
        ConfigOptionsMixin options;

        @Parameters(paramLabel = "ID", description = "<lake table>@<position>, as 'failed list' prints it.")
        String id;

        @Override
        public Integer call() {
            LakehouseConfig config = options.load();
            FailedEvents.Event event = events(config).find(id).orElseThrow(() -> new SetupException(
                    "No failed event " + id + ": 'lakehouse failed list' prints the ids (<lake table>@<position>)"));
            System.out.println("id:           " + event.id());
            System.out.println("source:       " + event.source());
            System.out.println("source table: " + event.sourceTable());
            System.out.println("position:     " + event.position());
            System.out.println("failed at:    " + event.failedAt().atZone(zone(config)).toLocalDateTime() + " " + zone(config).getId());
            System.out.println("error:        " + event.error());
            System.out.println("payload:      " + event.payload());
            return 0;
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
