package io.lakehousecdc.warehouse.sql;

import java.util.List;

/** A session with the warehouse: PostgreSQL over JDBC, Redshift over the Data API or JDBC. */
public interface WarehouseConnection extends AutoCloseable {

    SqlDialect dialect();

    /** Runs each statement in a transaction of its own (definitions). */
    void execute(List<Sql> statements);

    /** The rows a query returns, each value as text (null stays null). */
    List<List<String>> query(Sql query);

    boolean tableExists(String schema, String table);

    /**
     * In one transaction: stages {@code rows} into their temporary table, runs {@code statements},
     * drops the staging table. Either all of it is committed or none.
     */
    void applyAtomically(StagedRows rows, List<Sql> statements);

    @Override
    void close();
}
