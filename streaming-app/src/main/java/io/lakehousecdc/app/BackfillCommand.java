package io.lakehousecdc.app;

import io.lakehousecdc.app.backfill.Backfill;
import io.lakehousecdc.app.job.PipelineJob;
import io.lakehousecdc.core.SetupException;
import io.lakehousecdc.lake.LakeTable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code lakehouse backfill}: rebuilds a processed table from its raw-zone change log. */
@Command(name = "backfill", mixinStandardHelpOptions = true,
        description = {"Rebuilds a table's processed zone from its raw-zone change log: the latest change of every key",
                "becomes its row. Stop the pipeline first (lakehouse savepoint stop) and start it again afterwards;",
                "a table with index-type state is refused: its index is kept in the job's state and would not",
                "know the rebuilt files (bloom, the default, reloads it from them)."})
final class BackfillCommand implements Callable<Integer> {

    @Mixin
    ConfigOptionsMixin options;

    @Option(names = "--table", required = true, paramLabel = "TABLE",
            description = "The lake table, <source>_<database>_<table> (lakehouse tables list shows them).")
    String tableName;

    @Option(names = "--from", paramLabel = "INSTANT",
            description = {"Apply only the changes the raw zone committed at or after this instant to the current table",
                    "(lakehouse query --commits TABLE_raw lists them). Without it the table is rebuilt from scratch;",
                    "the table it replaces is kept beside it."})
    String fromInstant;

    @Override
    public Integer call() throws Exception {
        PipelineJob job = PipelineJob.prepare(options.load());
        List<LakeTable> tables = job.tables();
        LakeTable table = tables.stream().filter(t -> t.name().equals(tableName)).findFirst()
                .orElseThrow(() -> new SetupException("No captured table is named " + tableName + ": use one of "
                        + String.join(", ", tables.stream().map(LakeTable::name).toList())));
        Backfill.Outcome outcome = new Backfill(table, job.global()).run(fromInstant);
        System.out.println("backfill: wrote " + outcome.rowsWritten() + " rows of " + table.name() + " from its raw zone"
                + (outcome.replacedTableKeptAt() == null ? ""
                        : "; the table it replaced is kept at " + outcome.replacedTableKeptAt()));
        return 0;
    }
}
