package io.lakehousecdc.warehouse.sql;

import io.lakehousecdc.warehouse.model.RedshiftLayout;

import org.apache.flink.table.types.logical.LogicalType;

import java.util.List;
import java.util.Map;

/**
 * What differs between the warehouses: type names, surrogate key columns, table layout and the
 * form of an upsert. Everything else, the meaning of each model kind, is {@link ModelStatements},
 * written once in SQL both understand.
 */
public interface SqlDialect {

    /** The column type for a lake type. */
    String type(LogicalType type);

    /**
     * {@code CREATE TABLE IF NOT EXISTS}; a generated column is a BIGINT the warehouse numbers.
     *
     * @param primaryKey column names; enforced where the warehouse enforces keys
     * @param unique column names of a second unique key (a dimension's natural key), or empty
     */
    String createTable(String table, List<ColumnDefinition> columns, List<String> primaryKey, List<String> unique,
            RedshiftLayout layout);

    /** Creates a report's empty table from its query. */
    String createTableAs(String table, String query, RedshiftLayout layout);

    /**
     * Inserts the rows of {@code source} into {@code target}, updating those whose key is there.
     * The source holds at most one row per key.
     *
     * @param keys target key columns (quoted), matched with the source's columns of the same names
     * @param values quoted target column to an expression over the source, aliased {@code s};
     *     keys included
     */
    List<Sql> upsert(String target, String source, List<String> keys, Map<String, String> values);

    /**
     * Updates the rows of {@code target} whose surrogate key the source row carries and inserts
     * the source rows whose surrogate key is null, letting the warehouse generate it.
     *
     * @param values quoted target column to an expression over the source, aliased {@code s};
     *     the surrogate key excluded
     */
    List<Sql> upsertBySurrogateKey(String target, String source, String surrogateKey, Map<String, String> values);
}
