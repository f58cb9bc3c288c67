package io.lakehousecdc.app;

import io.lakehousecdc.app.config.LakeLayout;
import io.lakehousecdc.app.config.LakehouseConfig;
import io.lakehousecdc.app.control.ControlPlane;
import io.lakehousecdc.app.query.LakeQuery;
import io.lakehousecdc.app.query.ResultFormat;
import io.lakehousecdc.lake.LakeStorage;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** {@code lakehouse query}: Flink SQL over the lake. */
@Command(name = "query", mixinStandardHelpOptions = true,
        description = {"Runs Flink SQL (batch) over the lake tables, named <source>_<database>_<table>;",
                "MERGE_ON_READ tables also as <name>_rt (real-time) and <name>_ro (read-optimized)."})
final class QueryCommand implements Callable<Integer> {

    @Mixin
    ConfigOptionsMixin options;

    @Option(names = "--format", defaultValue = "table", paramLabel = "table|csv|json",
            description = "Output: a table for people, CSV or JSON lines for scripts (default: table).")
    ResultFormat format;

    @Parameters(index = "0", paramLabel = "SQL", description = "The query.")
    String sql;

    @Override
    public Integer call() throws Exception {
        LakehouseConfig config = options.load();
        LakeQuery query = LakeQuery.over(LakeLayout.processedTables(config, ControlPlane.tablesOf(config, false)),
                LakeStorage.from(config.global()));
        if (query.tableNames().isEmpty()) {
            System.err.println("note: no lake table has a commit yet; run the pipeline first");
        }
        format.print(query.run(sql), System.out);
        return 0;
    }
}
