package io.lakehousecdc.core;

import java.io.Serializable;
import java.util.Locale;
import java.util.Objects;

/**
 * Identifies a source table: the source it comes from, its database, its schema (PostgreSQL only,
 * null for MySQL) and its name. Also knows the table's name and location in the lake.
 */
public final class TableId implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String sourceId;
    private final String database;
    private final String schema;
    private final String table;
    /** Cached: table ids are map keys on the per-record path. */
    private final int hash;

    private TableId(String sourceId, String database, String schema, String table) {
        this.sourceId = requireName(sourceId, "source id");
        this.database = requireName(database, "database");
        this.schema = schema;
        this.table = requireName(table, "table");
        this.hash = Objects.hash(sourceId, database, schema, table);
    }

    /** A MySQL table: {@code source}, {@code database.table}. */
    public static TableId mysql(String sourceId, String database, String table) {
        return new TableId(sourceId, database, null, table);
    }

    /** A PostgreSQL table: {@code source}, database, {@code schema.table}. */
    public static TableId postgres(String sourceId, String database, String schema, String table) {
        return new TableId(sourceId, database, requireName(schema, "schema"), table);
    }

    public String sourceId() {
        return sourceId;
    }

    public String database() {
        return database;
    }

    /** The PostgreSQL schema, or null for sources without schemas. */
    public String schema() {
        return schema;
    }

    public String table() {
        return table;
    }

    /** The name the source knows the table by: {@code database.table} or {@code schema.table}. */
    public String sourceName() {
        return (schema == null ? database : schema) + "." + table;
    }

    /** {@code <source>_<database>_<table>}, with the schema before the table when not {@code public}. */
    public String lakeName() {
        return (sourceId + "_" + database + "_" + qualifiedTable("_")).toLowerCase(Locale.ROOT);
    }

    /** {@code <base>/<zone>/<source>/<database>/<table>}, without a trailing slash. */
    public String lakePath(String basePath, LakeZone zone) {
        String base = basePath.endsWith("/") ? basePath.substring(0, basePath.length() - 1) : basePath;
        return String.join(
                "/",
                base,
                zone.directory(),
                sourceId.toLowerCase(Locale.ROOT),
                database.toLowerCase(Locale.ROOT),
                qualifiedTable("_").toLowerCase(Locale.ROOT));
    }

    private String qualifiedTable(String separator) {
        return schema == null || schema.equals("public") ? table : schema + separator + table;
    }

    private static String requireName(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("A table id needs a " + what);
        }
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TableId other
                && sourceId.equals(other.sourceId)
                && database.equals(other.database)
                && Objects.equals(schema, other.schema)
                && table.equals(other.table);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return sourceId + ":" + (schema == null ? database + "." + table : database + "." + schema + "." + table);
    }
}
