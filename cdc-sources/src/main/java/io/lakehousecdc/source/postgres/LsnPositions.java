package io.lakehousecdc.source.postgres;

import io.lakehousecdc.source.ChangeDeserializer;

import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Struct;

/**
 * A change's position is its WAL LSN. LSNs of one row's changes increase in commit order: a
 * transaction that changes a row another transaction changed waits for that one to commit, and
 * so writes its change after the other's commit record.
 */
final class LsnPositions implements ChangeDeserializer.Positions {
    private static final long serialVersionUID = 1L;

    @Override
    public long of(Struct source) {
        Long lsn = source.getInt64("lsn");
        return lsn == null ? 0L : lsn;
    }

    @Override
    public String tableName(Struct source) {
        return source.getString("schema") + "." + source.getString("table");
    }
}
