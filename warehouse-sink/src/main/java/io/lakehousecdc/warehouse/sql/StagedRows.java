package io.lakehousecdc.warehouse.sql;

import org.apache.flink.table.types.logical.LogicalType;

import java.util.List;

/**
 * The rows of one batch as they are staged in the warehouse before the models' statements run.
 *
 * @param table the temporary table's name (unquoted)
 * @param columns column names (unquoted), the lake's plus {@code _cdc_op}, {@code _cdc_ts}, {@code _cdc_seq}
 * @param types the lake type of each column
 * @param rows values in column order: String, Boolean, Byte, Short, Integer, Long, Float, Double,
 *     BigDecimal, LocalDate, LocalTime, LocalDateTime, Instant or byte[]
 */
public record StagedRows(String table, List<String> columns, List<LogicalType> types, List<Object[]> rows) {

    /** {@code CREATE TEMP TABLE} for these rows. */
    public String createTable(SqlDialect dialect) {
        StringBuilder sql = new StringBuilder("CREATE TEMP TABLE ").append(Identifiers.quote(table)).append(" (");
        for (int i = 0; i < columns.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(Identifiers.quote(columns.get(i))).append(' ').append(dialect.type(types.get(i)));
        }
        return sql.append(')').toString();
    }
}
