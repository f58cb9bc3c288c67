package io.lakehousecdc.app.control;

import io.lakehousecdc.app.config.LakeLayout;
import io.lakehousecdc.app.config.LakehouseConfig;
import io.lakehousecdc.app.job.PipelineJob;
import io.lakehousecdc.core.LakeSchema;
import io.lakehousecdc.core.PipelineOptions;
import io.lakehousecdc.core.SetupException;
import io.lakehousecdc.core.TableId;
import io.lakehousecdc.lake.LakeOptions;
import io.lakehousecdc.source.mysql.MySqlChangeSource;
import io.lakehousecdc.source.mysql.MySqlSourceSettings;
import io.lakehousecdc.source.postgres.PostgresChangeSource;
import io.lakehousecdc.source.postgres.PostgresSourceSettings;

import org.apache.flink.configuration.Configuration;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks tables against their source before the control plane accepts them, through the same
 * inspection the job runs at start: the source is reachable and configured for change data
 * capture, the table exists and has a primary key or a key override ({@code key-columns}), and
 * the columns the settings name exist.
 */
final class SourceCheck {

    private final Map<String, Configuration> sources;
    private final ZoneId targetZone;

    SourceCheck(LakehouseConfig config) {
        this.sources = LakeLayout.sourcesById(config);
        this.targetZone = PipelineJob.zone(config.global().get(PipelineOptions.TIMEZONE), PipelineOptions.TIMEZONE.key());
    }

    /** The configured source {@code id}; an error says to configure it. */
    Configuration source(String id) {
        Configuration source = sources.get(id);
        if (source == null) {
            throw new SetupException("Source '" + id + "' is not in the config's sources: add it there"
                    + (sources.isEmpty() ? "" : " or use one of " + String.join(", ", sources.keySet())));
        }
        return source;
    }

    /** Checks {@code tables}, all of source {@code sourceId}, in one connection to the source. */
    void check(String sourceId, List<TableSettings> tables) {
        if (tables.isEmpty()) {
            return;
        }
        Configuration source = source(sourceId);
        List<TableId> ids = new ArrayList<>();
        Map<TableId, List<String>> keyOverrides = new HashMap<>();
        for (TableSettings table : tables) {
            Configuration conf = new Configuration();
            conf.set(LakeOptions.SOURCE, sourceId);
            conf.set(LakeOptions.TABLE, table.table());
            TableId id = LakeLayout.tableId(conf, source);
            ids.add(id);
            if (!table.keyColumns().isEmpty()) {
                keyOverrides.put(id, table.keyColumns());
            }
        }
        List<LakeSchema> schemas = PipelineJob.inspect(source, ids, keyOverrides, targetZone).schemas();
        for (int i = 0; i < tables.size(); i++) {
            checkColumns(tables.get(i), schemas.get(i));
        }
    }

    private static void checkColumns(TableSettings table, LakeSchema schema) {
        List<String> columns = schema.rowType().getFieldNames().subList(0, schema.metadataOffset());
        List<String> named = new ArrayList<>(table.keyColumns());
        if (table.partitionBy() != null) {
            named.add(table.partitionBy());
        }
        if (table.orderingColumn() != null) {
            named.add(table.orderingColumn());
        }
        for (String column : named) {
            if (!columns.contains(column)) {
                throw new SetupException("Table " + table.table() + " of source " + table.source() + " has no column '"
                        + column + "': name one of " + String.join(", ", columns));
            }
        }
    }

    /**
     * The tables of {@code database} (PostgreSQL: a schema of the source's database) in source
     * {@code sourceId}, as {@code database.table} names.
     */
    List<String> tableNames(String sourceId, String database) {
        Configuration source = source(sourceId);
        List<String> names = switch (LakeLayout.sourceType(source)) {
            case "mysql" -> MySqlChangeSource.tableNames(MySqlSourceSettings.from(source), database);
            case "postgres" -> PostgresChangeSource.tableNames(PostgresSourceSettings.from(source), database);
            default -> throw new SetupException("Source " + sourceId + " is a DMS source, whose tables are folders"
                    + " rather than a catalog: add its tables one by one with --table");
        };
        return names.stream().map(name -> database + "." + name).toList();
    }
}
