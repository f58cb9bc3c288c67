package io.lakehousecdc.app.query;

import io.lakehousecdc.lake.LakeCatalog;
import io.lakehousecdc.lake.LakeStorage;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Flink SQL in batch mode over the lake's tables, by their lake names (and MOR views). */
public final class LakeQuery {

    private final TableEnvironment tables;
    private final List<String> registered = new ArrayList<>();

    private LakeQuery(TableEnvironment tables) {
        this.tables = tables;
    }

    /** Registers the committed ones among {@code pathsByName} on local disk (lake table name to base path). */
    public static LakeQuery over(Map<String, String> pathsByName) {
        return over(pathsByName, LakeStorage.defaults());
    }

    /**
     * Registers the committed ones among {@code pathsByName} (lake table name to base path),
     * read with the lake's storage settings.
     */
    public static LakeQuery over(Map<String, String> pathsByName, LakeStorage storage) {
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
        pathsByName.forEach((name, path) -> query.registered.addAll(LakeCatalog.register(env, name, path, storage)));
        return query;
    }

    /** Names that queries can use. */
    public List<String> tableNames() {
        return List.copyOf(registered);
    }

    /** Runs {@code sql}; column names first, then the rows. */
    public Result run(String sql) throws Exception {
        TableResult result = tables.executeSql(sql);
        List<Row> rows = new ArrayList<>();
        try (CloseableIterator<Row> it = result.collect()) {
            it.forEachRemaining(rows::add);
        }
        return new Result(result.getResolvedSchema().getColumnNames(), rows);
    }

    /** A query's answer. */
    public record Result(List<String> columns, List<Row> rows) {}
}
