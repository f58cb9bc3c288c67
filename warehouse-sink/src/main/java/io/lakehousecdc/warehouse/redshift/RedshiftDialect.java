package io.lakehousecdc.warehouse.redshift;

import io.lakehousecdc.warehouse.model.RedshiftLayout;
import io.lakehousecdc.warehouse.sql.ColumnDefinition;
import io.lakehousecdc.warehouse.sql.Sql;
import io.lakehousecdc.warehouse.sql.SqlDialect;

import org.apache.flink.table.types.logical.CharType;
import org.apache.flink.table.types.logical.DecimalType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.VarCharType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static io.lakehousecdc.warehouse.sql.Identifiers.quote;

/**
 * Amazon Redshift: informational keys, IDENTITY surrogate keys, DISTSTYLE/DISTKEY/SORTKEY and
 * column ENCODE from the model, and upserts as Redshift's MERGE, which allows one
 * {@code WHEN MATCHED THEN UPDATE} and one {@code WHEN NOT MATCHED THEN INSERT}, without further
 * conditions, from a table whose rows match at most one target row each. Deletes and the
 * de-duplication of the source happen in statements of their own before it.
 */
public final class RedshiftDialect implements SqlDialect {

    /** Redshift measures VARCHAR in bytes; a UTF-8 character takes up to four. */
    private static final int MAX_VARCHAR = 65535;

    @Override
    public String type(LogicalType type) {
        return switch (type.getTypeRoot()) {
            case BOOLEAN -> "BOOLEAN";
            case TINYINT, SMALLINT -> "SMALLINT";
            case INTEGER -> "INTEGER";
            case BIGINT -> "BIGINT";
            case FLOAT -> "REAL";
            case DOUBLE -> "DOUBLE PRECISION";
            case DECIMAL -> "DECIMAL(" + Math.min(38, ((DecimalType) type).getPrecision()) + "," + ((DecimalType) type).getScale() + ")";
            // CHAR holds single-byte characters only in Redshift.
            case CHAR -> "VARCHAR(" + bytes(((CharType) type).getLength()) + ")";
            case VARCHAR -> "VARCHAR(" + bytes(((VarCharType) type).getLength()) + ")";
            case DATE -> "DATE";
            case TIME_WITHOUT_TIME_ZONE -> "TIME";
            case TIMESTAMP_WITHOUT_TIME_ZONE -> "TIMESTAMP";
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE -> "TIMESTAMPTZ";
            case BINARY, VARBINARY -> "VARBYTE";
            default -> throw new IllegalArgumentException("Lake type " + type + " has no Redshift column type");
        };
    }

    private static int bytes(int characters) {
        return (int) Math.min(MAX_VARCHAR, (long) characters * 4);
    }

    @Override
    public String createTable(String table, List<ColumnDefinition> columns, List<String> primaryKey, List<String> unique,
            RedshiftLayout layout) {
        List<String> parts = new ArrayList<>();
        for (ColumnDefinition c : columns) {
            String encoding = layout.encodings().get(c.name());
            parts.add(quote(c.name()) + (c.generated() ? " BIGINT IDENTITY(1,1)" : " " + c.type())
                    + (c.notNull() ? " NOT NULL" : "") + (encoding == null ? "" : " ENCODE " + encoding.toUpperCase(java.util.Locale.ROOT)));
        }
        parts.add("PRIMARY KEY (" + list(primaryKey) + ")");
        if (!unique.isEmpty()) {
            parts.add("UNIQUE (" + list(unique) + ")");
        }
        return "CREATE TABLE IF NOT EXISTS " + table + " (" + String.join(", ", parts) + ")" + attributes(layout);
    }

    @Override
    public String createTableAs(String table, String query, RedshiftLayout layout) {
        // CREATE TABLE AS takes no column encodings; Redshift chooses them for a report's table.
        return "CREATE TABLE " + table + attributes(layout) + " AS SELECT * FROM (" + query + ") AS q WHERE 1 = 0";
    }

    private static String attributes(RedshiftLayout layout) {
        StringBuilder out = new StringBuilder();
        if (layout.distStyle() != null) {
            out.append(" DISTSTYLE ").append(layout.distStyle());
        }
        if (layout.distKey() != null) {
            out.append(" DISTKEY (").append(quote(layout.distKey())).append(")");
        }
        if (!layout.sortKey().isEmpty()) {
            out.append(" COMPOUND SORTKEY (").append(list(layout.sortKey())).append(")");
        }
        return out.toString();
    }

    @Override
    public List<Sql> upsert(String target, String source, List<String> keys, Map<String, String> values) {
        String on = keys.stream().map(k -> target + "." + k + " = " + values.get(k)).collect(Collectors.joining(" AND "));
        List<String> updated = values.keySet().stream().filter(c -> !keys.contains(c)).toList();
        return List.of(Sql.of(merge(target, source, on, updated.isEmpty() ? keys : updated, values, values)));
    }

    @Override
    public List<Sql> upsertBySurrogateKey(String target, String source, String surrogateKey, Map<String, String> values) {
        // A source row without a surrogate key matches nothing and is inserted; IDENTITY numbers it.
        return List.of(Sql.of(merge(target, source, target + "." + surrogateKey + " = s." + surrogateKey,
                List.copyOf(values.keySet()), values, values)));
    }

    private static String merge(String target, String source, String on, List<String> updated, Map<String, String> updates,
            Map<String, String> inserts) {
        return "MERGE INTO " + target + " USING " + source + " s ON " + on
                + " WHEN MATCHED THEN UPDATE SET " + updated.stream().map(c -> c + " = " + updates.get(c)).collect(Collectors.joining(", "))
                + " WHEN NOT MATCHED THEN INSERT (" + String.join(", ", inserts.keySet()) + ") VALUES ("
                + String.join(", ", inserts.values()) + ")";
    }

    private static String list(List<String> names) {
        return names.stream().map(n -> quote(n)).collect(Collectors.joining(", "));
    }
}
