package io.lakehousecdc.lake;

import io.lakehousecdc.core.LakeZone;
import io.lakehousecdc.core.SetupException;

import org.apache.flink.configuration.Configuration;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Registration of the lake's tables in a data catalog, so that Athena, Trino, Spark or Hive find
 * them by name. Hudi's own meta sync does the work after every commit; this class only derives
 * its settings from the {@code lake.catalog.*} keys.
 *
 * <p>Each table is registered under its lake name: a processed MERGE_ON_READ table as
 * {@code <name>_ro} and {@code <name>_rt} (the same views {@code lakehouse query} offers), a
 * COPY_ON_WRITE table as {@code <name>}, a raw-zone change log as {@code <name>_raw}.
 */
public final class CatalogSync {

    /** Where tables are registered. */
    public enum CatalogType {
        /** No registration. */
        NONE,
        /** The AWS Glue Data Catalog of the job's account and region. */
        GLUE,
        /** A Hive metastore reached through its thrift URIs. */
        HIVE_METASTORE
    }

    /** Suffix of the string partition key that carries a partition column's WIB day in the catalog. */
    static final String DAY_SUFFIX = "_day";

    private static final String METASTORE_CLIENT = "org.apache.hadoop.hive.metastore.IMetaStoreClient";

    private CatalogSync() {}

    /**
     * The job jar carries what Glue registration needs, but not Hive's metastore client, which
     * must match the metastore's version; without it Hudi's sync would fail only after the
     * first commit, and only in the log.
     */
    private static void requireMetastoreClient() {
        try {
            Class.forName(METASTORE_CLIENT, false, CatalogSync.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new SetupException(LakeOptions.CATALOG_TYPE.key() + " is hive-metastore but Hive's metastore client ("
                    + METASTORE_CLIENT + ") is not on the classpath: add the hive-exec jar of your metastore's version to Flink's lib/");
        }
    }

    /** The catalog named by {@code lake.catalog.type}. */
    public static CatalogType type(Configuration lakeConf) {
        String value = lakeConf.get(LakeOptions.CATALOG_TYPE).trim();
        String normalized = value.toUpperCase(Locale.ROOT).replace('-', '_');
        return Arrays.stream(CatalogType.values())
                .filter(t -> t.name().equals(normalized))
                .findFirst()
                .orElseThrow(() -> new SetupException(LakeOptions.CATALOG_TYPE.key() + " '" + value
                        + "' is not a catalog: use none, glue or hive-metastore"));
    }

    /**
     * The Hudi options that register {@code table}'s {@code zone} in the configured catalog;
     * empty when none is configured.
     *
     * @throws SetupException when the catalog's settings are incomplete
     */
    public static Map<String, String> hudiOptions(Configuration lakeConf, LakeTable table, LakeZone zone) {
        CatalogType type = type(lakeConf);
        Map<String, String> options = new LinkedHashMap<>();
        if (type == CatalogType.NONE) {
            return options;
        }
        String database = lakeConf.get(LakeOptions.CATALOG_DATABASE).trim();
        if (!database.matches("[a-z0-9_]+")) {
            throw new SetupException(LakeOptions.CATALOG_DATABASE.key() + " '" + database
                    + "' is not a catalog database name: use lower-case letters, digits and _");
        }
        options.put("hive_sync.enabled", "true");
        options.put("hive_sync.db", database);
        options.put("hive_sync.table", zone == LakeZone.RAW ? table.name() + RawZoneSink.NAME_SUFFIX : table.name());
        options.put("hive_sync.auto_create_db", "true");
        // Without it Hudi registers timestamps as BIGINT, and WIB times would read as epoch numbers.
        options.put("hive_sync.support_timestamp", "true");
        if (zone == LakeZone.RAW) {
            options.put("hive_sync.partition_fields", RawZoneSink.DAY_COLUMN);
            options.put("hive_sync.partition_extractor_class", "org.apache.hudi.hive.MultiPartKeysValueExtractor");
        } else if (table.partitionBy() == null) {
            options.put("hive_sync.partition_extractor_class", "org.apache.hudi.hive.NonPartitionedExtractor");
        } else {
            // Catalogs cannot hold a column both as data and as partition key. Under its own name the
            // day keeps the column a timestamp and adds a string key with the day it falls in.
            options.put("hive_sync.partition_fields", table.partitionBy() + DAY_SUFFIX);
            options.put("hive_sync.partition_extractor_class", "org.apache.hudi.hive.MultiPartKeysValueExtractor");
        }
        if (type == CatalogType.GLUE) {
            options.put("hive_sync.mode", "glue");
        } else {
            String uris = lakeConf.getOptional(LakeOptions.CATALOG_METASTORE_URIS).map(String::trim).orElse("");
            if (uris.isEmpty()) {
                throw new SetupException(LakeOptions.CATALOG_TYPE.key() + " is hive-metastore but "
                        + LakeOptions.CATALOG_METASTORE_URIS.key() + " is not set: set it to the metastore's thrift://host:9083");
            }
            requireMetastoreClient();
            options.put("hive_sync.mode", "hms");
            options.put("hive_sync.metastore.uris", uris);
        }
        return options;
    }
}
