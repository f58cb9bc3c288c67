package io.lakehousecdc.app;

import io.lakehousecdc.app.config.LakehouseConfig;
import io.lakehousecdc.app.feed.WarehouseFeedRunner;
import io.lakehousecdc.core.SetupException;
import io.lakehousecdc.warehouse.ApplyResult;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code lakehouse feed}: the warehouse feed on its own, beside a job that runs elsewhere. */
@Command(name = "feed", mixinStandardHelpOptions = true,
        description = {"Applies the lake's new commits to the warehouse models (warehouse.models) and keeps following the lake",
                "until stopped (Ctrl-C). lakehouse run and demo start it themselves when models are configured."})
final class FeedCommand implements Callable<Integer> {

    @Mixin
    ConfigOptionsMixin options;

    @Option(names = "--once", description = "Apply what the lake has now, print it, and exit.")
    boolean once;

    @Override
    public Integer call() throws Exception {
        LakehouseConfig config = options.load();
        if (!WarehouseFeedRunner.configured(config)) {
            throw new SetupException("warehouse.models is not set: point it at the directory of the model YAML files");
        }
        if (once) {
            List<ApplyResult> results = WarehouseFeedRunner.runOnce(config);
            for (ApplyResult result : results) {
                if (!result.applied().isEmpty()) {
                    System.out.printf("%s %s -> %s%s%n", result.lakeTable(), result.instant(), String.join(", ", result.applied()),
                            result.refreshed().isEmpty() ? "" : "; refreshed " + String.join(", ", result.refreshed()));
                }
            }
            System.out.println("Applied " + results.stream().filter(r -> !r.applied().isEmpty()).count() + " lake commits.");
            return 0;
        }
        StopSignal stop = StopSignal.install();
        try (WarehouseFeedRunner feed = WarehouseFeedRunner.start(config)) {
            System.out.println("Following the lake; Ctrl-C stops.");
            while (!stop.await(1000)) {
                if (feed.failure().isPresent()) {
                    throw feed.failure().get();
                }
            }
            System.out.println("Stopped after applying " + feed.appliedBatches() + " lake commits.");
            return 0;
        } finally {
            stop.finished();
        }
    }
}
