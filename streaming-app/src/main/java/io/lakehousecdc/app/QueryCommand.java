package io.lakehousecdc.app;

import io.lakehousecdc.app.config.LakeLayout;
import io.lakehousecdc.app.config.LakehouseConfig;
import io.lakehousecdc.app.control.ControlPlane;
import io.lakehousecdc.app.query.LakeQuery;
import io.lakehousecdc.app.query.LakeVersion;
import io.lakehousecdc.app.query.ResultFormat;
import io.lakehousecdc.core.PipelineOptions;
import io.lakehousecdc.core.SetupException;
import io.lakehousecdc.lake.LakeCatalog;
import io.lakehousecdc.lake.LakeStorage;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.types.Row;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code lakehouse query}: Flink SQL over the lake, now or in the past, and the lake's commits. */
@Command(name = "query", mixinStandardHelpOptions = true,
        description = {"Runs Flink SQL (batch) over the lake tables, named <source>_<database>_<table>;",
                "MERGE_ON_READ tables also as <name>_rt (real-time) and <name>_ro (read-optimized).",
                "--as-of reads every table as it was at a commit instant or time; --since reads the rows",
                "changed after one (up to --until); --commits lists a table's commits."})
final class QueryCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptionsMixin options;

    @Option(names = "--format", defaultValue = "table", paramLabel = "table|csv|json",
            description = "Output: a table for people, CSV or JSON lines for scripts (default: table).")
    ResultFormat format;

    @Option(names = "--as-of", paramLabel = "INSTANT|TIME",
            description = "Read each table as it was at this commit instant (e.g. 20261127101500123) or time"
                    + " (e.g. 2026-11-27T10:15:00, in pipeline.timezone).")
    String asOf;

    @Option(names = "--since", paramLabel = "INSTANT|TIME",
            description = "Read only the rows inserted or updated after this commit instant or time, as they are"
                    + " now (or at --until); deleted rows are not shown.")
    String since;

    @Option(names = "--until", paramLabel = "INSTANT|TIME",
            description = "With --since: the last commit instant or time to include.")
    String until;

    @Option(names = "--commits", paramLabel = "TABLE",
            description = "List the table's commits (instant, action, completion time, rows inserted, updated and"
                    + " deleted) instead of running SQL.")
    String commitsOf;

    @Parameters(index = "0", arity = "0..1", paramLabel = "SQL", description = "The query.")
    String sql;

    @Override
    public Integer call() throws Exception {
        if ((sql == null) == (commitsOf == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Give either SQL or --commits TABLE");
        }
        if (commitsOf != null && (asOf != null || since != null || until != null)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--commits lists every commit: leave out --as-of, --since and --until");
        }
        LakehouseConfig config = options.load();
        ZoneId zone = ZoneId.of(config.global().get(PipelineOptions.TIMEZONE));
        List<Configuration> tables = ControlPlane.tablesOf(config, false);
        Map<String, String> paths = new LinkedHashMap<>(LakeLayout.processedTables(config, tables));
        paths.putAll(LakeLayout.rawTables(config, tables));
        LakeStorage storage = LakeStorage.from(config.global());
        if (commitsOf != null) {
            format.print(commits(commitsOf, paths, zone, storage), System.out);
            return 0;
        }
        LakeVersion version;
        try {
            version = LakeVersion.of(asOf, since, until, zone);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        // Only the tables the query names: the version of every other one need not exist.
        LakeQuery query = LakeQuery.over(version.isLatest() ? paths : LakeQuery.namedIn(sql, paths), version, storage);
        if (query.tableNames().isEmpty()) {
            System.err.println("note: no lake table " + (version.isLatest() ? "" : "named in the query ")
                    + "has a commit yet; run the pipeline first");
        }
        format.print(query.run(sql), System.out);
        return 0;
    }

    private static LakeQuery.Result commits(String table, Map<String, String> paths, ZoneId zone, LakeStorage storage) {
        String path = paths.get(table);
        if (path == null) {
            throw new SetupException("No lake table named " + table + ": tables are named <source>_<database>_<table>"
                    + " (lakehouse tables list shows them)");
        }
        List<Row> rows = LakeCatalog.writeCommits(path, storage).stream()
                .map(c -> Row.of(c.instant(), c.action(), LocalDateTime.ofInstant(c.completedAt(), zone),
                        c.inserted(), c.updated(), c.deleted()))
                .toList();
        if (rows.isEmpty()) {
            System.err.println("note: " + table + " has no commit yet; run the pipeline first");
        }
        Optional<String> oldest = LakeCatalog.oldestReadableInstant(path, storage);
        oldest.ifPresent(instant -> System.err.println("note: older versions are cleaned; --as-of and --until reach back to "
                + instant));
        return new LakeQuery.Result(List.of("instant", "action", "completed_at", "inserted", "updated", "deleted"), rows);
    }
}
