package io.lakehousecdc.app.query;

import io.lakehousecdc.core.SetupException;
import io.lakehousecdc.lake.LakeCatalog;
import io.lakehousecdc.lake.LakeCatalog.ReadWindow;
import io.lakehousecdc.lake.LakeStorage;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.config.OptimizerConfigOptions;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Flink SQL in batch mode over the lake's tables, by their lake names (and MOR views). */
public final class LakeQuery {

    private static final Pattern MISSING_TABLE = Pattern.compile("Object '([^']+)' not found");

    private final TableEnvironment tables;
    private final List<String> registered = new ArrayList<>();

    private LakeQuery(TableEnvironment tables) {
        this.tables = tables;
    }

    /** Registers the committed ones among {@code pathsByName} on local disk (lake table name to base path). */
    public static LakeQuery over(Map<String, String> pathsByName) {
        return over(pathsByName, LakeVersion.LATEST, LakeStorage.defaults());
    }

    /** Registers the committed ones among {@code pathsByName}, read with the lake's storage settings. */
    public static LakeQuery over(Map<String, String> pathsByName, LakeStorage storage) {
        return over(pathsByName, LakeVersion.LATEST, storage);
    }

    /**
     * Registers {@code version} of the committed ones among {@code pathsByName} (lake table name
     * to base path), read with the lake's storage settings.
     *
     * @throws SetupException when {@code version} is outside a table's readable commits
     */
    public static LakeQuery over(Map<String, String> pathsByName, LakeVersion version, LakeStorage storage) {
        Configuration conf = new Configuration();
        conf.setString("table.exec.resource.default-parallelism", "1");
        conf.setString("parallelism.default", "1");
        // Hadoop caches a file system per scheme and bucket for the whole process, made with the
        // class loader of the job that first opened it; in-process jobs all use this process's
        // class loader, so a finished job's must stay usable by the next (s3a://).
        conf.setString("classloader.check-leaked-classloader", "false");
        TableEnvironment env = TableEnvironment.create(
                EnvironmentSettings.newInstance().inBatchMode().withConfiguration(conf).build());
        LakeQuery query = new LakeQuery(env);
        Instant now = Instant.now();
        pathsByName.forEach((name, path) -> {
            ReadWindow window = version.isLatest() ? ReadWindow.LATEST
                    : version.window(name, LakeCatalog.writeCommits(path, storage),
                            () -> LakeCatalog.oldestReadableInstant(path, storage), now);
            query.registered.addAll(LakeCatalog.register(env, name, path, window, storage));
        });
        return query;
    }

    /**
     * The entries of {@code pathsByName} whose table {@code sql} names, by its lake name or a
     * view of it; a name inside a string literal counts too, which only costs a look at that
     * table's timeline.
     */
    public static Map<String, String> namedIn(String sql, Map<String, String> pathsByName) {
        Map<String, String> named = new LinkedHashMap<>();
        pathsByName.forEach((name, path) -> {
            if (Pattern.compile("(?i)(?<![\\w$])" + Pattern.quote(name) + "(_rt|_ro)?(?![\\w$])").matcher(sql).find()) {
                named.put(name, path);
            }
        });
        return named;
    }

    /** Names that queries can use. */
    public List<String> tableNames() {
        return List.copyOf(registered);
    }

    /** Runs {@code sql}; column names first, then the rows. */
    public Result run(String sql) throws Exception {
        try {
            try {
                return execute(sql);
            } catch (RuntimeException e) {
                if (!pushedDownFilterFailed(e)) {
                    throw e;
                }
                // Hudi 0.14 hands a filter's literal to Parquet as the column's Java type, so
                // "bigint_column > 5" (an INT literal) fails there: filter after reading instead.
                tables.getConfig().set(OptimizerConfigOptions.TABLE_OPTIMIZER_SOURCE_PREDICATE_PUSHDOWN_ENABLED, false);
                return execute(sql);
            }
        } catch (RuntimeException | LinkageError e) {
            Optional<SetupException> explained = explained(e);
            if (explained.isPresent()) {
                throw explained.get();
            }
            throw e;
        }
    }

    private Result execute(String sql) throws Exception {
        TableResult result = tables.executeSql(sql);
        List<Row> rows = new ArrayList<>();
        try (CloseableIterator<Row> it = result.collect()) {
            it.forEachRemaining(rows::add);
        }
        return new Result(result.getResolvedSchema().getColumnNames(), rows);
    }

    private static boolean pushedDownFilterFailed(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof ClassCastException && Arrays.stream(cause.getStackTrace())
                    .anyMatch(frame -> frame.getClassName().startsWith("org.apache.hudi.source.ExpressionPredicates"))) {
                return true;
            }
        }
        return false;
    }

    /** A one-line error for the mistakes users make most, naming the fix. */
    private static Optional<SetupException> explained(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            Matcher missing = MISSING_TABLE.matcher(String.valueOf(cause.getMessage()));
            if (missing.find()) {
                return Optional.of(new SetupException("No lake table or view named " + missing.group(1) + ": tables are named"
                        + " <source>_<database>_<table> (lakehouse tables list shows them) and have a commit; with --as-of"
                        + " or --since, MERGE_ON_READ tables have no _ro view", e));
            }
            if (cause instanceof ClassNotFoundException || cause instanceof NoClassDefFoundError) {
                if (String.valueOf(cause.getMessage()).contains("org.apache.hadoop.hive")) {
                    return Optional.of(new SetupException("Hudi's incremental read from a given commit ('read.start-commit') needs Hive"
                            + " classes that this application leaves out: use lakehouse query --since INSTANT instead", e));
                }
            }
        }
        return Optional.empty();
    }

    /** A query's answer. */
    public record Result(List<String> columns, List<Row> rows) {}
}
