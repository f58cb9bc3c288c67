-- How each table is stored in the lake beyond its type and partitioning. Existing rows keep
-- what they had: Flink state index, ordering by the source position, no retention limit, raw zone on.
ALTER TABLE captured_tables ADD COLUMN index_type VARCHAR(10) NOT NULL DEFAULT 'state'
    CHECK (index_type IN ('bloom', 'bucket', 'state'));
ALTER TABLE captured_tables ADD COLUMN ordering_column VARCHAR(200);
ALTER TABLE captured_tables ADD COLUMN retention VARCHAR(50);
ALTER TABLE captured_tables ADD COLUMN raw_zone BOOLEAN NOT NULL DEFAULT TRUE;

CREATE TABLE warehouse_models (
    name        VARCHAR(200) PRIMARY KEY,
    kind        VARCHAR(20)  NOT NULL CHECK (kind IN ('fact', 'scd1', 'scd2', 'report')),
    definition  TEXT         NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- Schema changes seen in a source table, at the source position where they happened.
CREATE TABLE ddl_history (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    table_id    BIGINT NOT NULL REFERENCES captured_tables (id) ON DELETE CASCADE,
    position    BIGINT NOT NULL,
    statement   TEXT   NOT NULL,
    applied_at  TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX ddl_history_table ON ddl_history (table_id, position);
