package io.lakehousecdc.app;

import io.lakehousecdc.app.config.LakeLayout;
import io.lakehousecdc.app.config.LakehouseConfig;
import io.lakehousecdc.app.control.ControlPlane;
import io.lakehousecdc.app.control.NewTables;
import io.lakehousecdc.app.feed.WarehouseFeedRunner;
import io.lakehousecdc.core.PipelineOptions;
import io.lakehousecdc.lake.LakeCatalog;
import io.lakehousecdc.lake.LakeStorage;
import io.lakehousecdc.lake.RawZoneSink;
import io.lakehousecdc.warehouse.WarehouseFeed;

import org.apache.flink.configuration.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code lakehouse status}: each table's state and how far its lake table has got. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Lists every table with its state, its lake table's last commit, the rows its commits wrote",
                "and how long ago that commit completed (the lag of what readers see); with warehouse models,",
                "also where the warehouse feed stands for each."})
final class StatusCommand implements Callable<Integer> {

    @Mixin
    ConfigOptionsMixin options;

    @Override
    public Integer call() {
        LakehouseConfig config = options.load();
        ZoneId zone = ZoneId.of(config.global().get(PipelineOptions.TIMEZONE));
        DateTimeFormatter time = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(zone);
        List<Configuration> tables = ControlPlane.tablesOf(config, false);
        Map<String, String> paths = LakeLayout.processedTables(config, tables);
        LakeStorage storage = LakeStorage.from(config.global());
        String format = "%-40s  %-8s  %-19s  %12s  %10s%n";
        System.out.printf(format, "table", "state", "last commit (" + zone.getId() + ")", "rows written", "lag");
        int i = 0;
        Instant now = Instant.now();
        for (Map.Entry<String, String> table : paths.entrySet()) {
            boolean enabled = !"false".equals(tables.get(i++).toMap().get("enabled"));
            List<LakeCatalog.Commit> commits = LakeCatalog.writeCommits(table.getValue(), storage);
            long rows = commits.stream().mapToLong(LakeCatalog.Commit::changes).sum();
            Instant last = commits.isEmpty() ? null : commits.get(commits.size() - 1).completedAt();
            System.out.printf(format, table.getKey(), enabled ? "enabled" : "disabled",
                    last == null ? "-" : time.format(last), String.format("%,d", rows),
                    last == null ? "-" : lag(Duration.between(last, now)));
        }
        System.out.println("Rows written count the commits on Hudi's active timeline; older ones are archived.");
        if (WarehouseFeedRunner.configured(config)) {
            printWarehouse(config, tables, storage);
        }
        if (ControlPlane.configured(config)) {
            printNewTables(NewTables.look(ControlPlane.open(config)));
        }
        return 0;
    }

    private static void printNewTables(NewTables tables) {
        if (tables.found().isEmpty() && tables.problems().isEmpty()) {
            return;
        }
        System.out.println();
        if (!tables.found().isEmpty()) {
            System.out.println("New source tables that an onboarding takes, not captured yet:");
            tables.found().forEach(t -> System.out.printf("  %-40s  onboarded by: %s; add: %s%n",
                    t.rule().source() + " " + t.table(), t.rule(), t.addCommand()));
        }
        tables.problems().forEach(p -> System.out.println("warning: " + p));
    }

    /**
     * Each warehouse model's position: the last lake commit applied to it, when, and how many
     * commits with changes its lake table's raw zone has after that.
     */
    private static void printWarehouse(LakehouseConfig config, List<Configuration> tables, LakeStorage storage) {
        List<WarehouseFeed.Position> positions = WarehouseFeed.positions(config.warehouse());
        System.out.println();
        if (positions.isEmpty()) {
            System.out.println("The warehouse feed has not applied anything yet.");
            return;
        }
        Map<String, String> raw = LakeLayout.rawTables(config, tables);
        String format = "%-28s  %-40s  %-17s  %-19s  %14s%n";
        System.out.printf(format, "warehouse model", "lake table", "applied up to", "applied at", "commits behind");
        for (WarehouseFeed.Position position : positions) {
            String path = raw.get(position.lakeTable() + RawZoneSink.NAME_SUFFIX);
            String behind = path == null ? "-" : String.valueOf(LakeCatalog.writeCommits(path, storage).stream()
                    .filter(c -> c.changes() > 0 && c.instant().compareTo(position.lastInstant()) > 0).count());
            String appliedAt = position.appliedAt() == null ? "-" : position.appliedAt().substring(0, Math.min(19, position.appliedAt().length()));
            System.out.printf(format, position.model(), position.lakeTable(), position.lastInstant(), appliedAt, behind);
        }
    }

    private static String lag(Duration age) {
        long seconds = Math.max(0, age.toSeconds());
        return seconds < 120 ? seconds + " s" : seconds < 7200 ? seconds / 60 + " min" : seconds / 3600 + " h";
    }
}
