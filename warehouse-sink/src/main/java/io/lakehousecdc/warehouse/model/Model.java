package io.lakehousecdc.warehouse.model;

import java.util.List;
import java.util.Optional;

/**
 * A warehouse model as declared in its YAML file, validated.
 *
 * @param origin the file it was declared in, for messages
 * @param lakeTable the lake table it is fed from ({@code <source>_<database>_<table>}); null for reports
 * @param table the warehouse table it keeps (unqualified)
 * @param key natural key (dimensions) or row key (facts), as warehouse column names
 * @param tracked SCD2: the columns whose change opens a new version
 * @param flagDeletes SCD1: a delete sets {@code is_deleted} instead of deleting the row
 * @param surrogateKey dimensions: the generated BIGINT key column
 * @param timeColumn facts: the column the dimension versions are looked up at
 * @param sql reports: the query, with {@code {model}} placeholders for the tables it reads
 * @param inputs reports: the models the query reads
 */
public record Model(
        String name,
        String origin,
        ModelKind kind,
        String lakeTable,
        String table,
        List<ModelColumn> columns,
        List<String> key,
        List<String> tracked,
        boolean flagDeletes,
        String surrogateKey,
        String timeColumn,
        List<DimensionRef> dimensions,
        String sql,
        List<String> inputs,
        RedshiftLayout redshift) {

    public Optional<ModelColumn> column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** The column named {@code name}; the model was validated, so it exists. */
    public ModelColumn requireColumn(String name) {
        return column(name).orElseThrow(() -> new IllegalArgumentException(this.name + " has no column " + name));
    }

    /** Non-key columns. */
    public List<ModelColumn> attributes() {
        return columns.stream().filter(c -> !key.contains(c.name())).toList();
    }

    /** The start of a message about this model: {@code Model doctor_dim (models/doctor_dim.yaml)}. */
    public String describe() {
        return "Model " + name + " (" + origin + ")";
    }
}
