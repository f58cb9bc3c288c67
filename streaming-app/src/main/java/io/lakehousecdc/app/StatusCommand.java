package io.lakehousecdc.app;

import io.lakehousecdc.app.config.LakeLayout;
import io.lakehousecdc.app.config.LakehouseConfig;
import io.lakehousecdc.app.control.ControlPlane;
import io.lakehousecdc.core.PipelineOptions;
import io.lakehousecdc.lake.LakeCatalog;
import io.lakehousecdc.lake.LakeStorage;

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
                "and how long ago that commit completed (the lag of what readers see)."})
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
        return 0;
    }

    private static String lag(Duration age) {
        long seconds = Math.max(0, age.toSeconds());
        return seconds < 120 ? seconds + " s" : seconds < 7200 ? seconds / 60 + " min" : seconds / 3600 + " h";
    }
}
