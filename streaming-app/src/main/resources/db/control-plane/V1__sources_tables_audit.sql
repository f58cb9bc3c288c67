-- Sources as configured, secrets left out: passwords and tokens stay references in the config file.
CREATE TABLE sources (
    id          VARCHAR(100) PRIMARY KEY,
    type        VARCHAR(20)  NOT NULL,
    settings    TEXT         NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- One row per captured source table.
CREATE TABLE captured_tables (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source_id     VARCHAR(100) NOT NULL,
    source_table  VARCHAR(300) NOT NULL,
    table_type    VARCHAR(20)  NOT NULL DEFAULT 'MERGE_ON_READ' CHECK (table_type IN ('MERGE_ON_READ', 'COPY_ON_WRITE')),
    partition_by  VARCHAR(200),
    key_columns   VARCHAR(1000),
    enabled       BOOLEAN      NOT NULL DEFAULT TRUE,
    hudi_options  TEXT         NOT NULL DEFAULT '{}',
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    UNIQUE (source_id, source_table)
);

-- Every accepted change, written in the transaction that made it.
CREATE TABLE audit_log (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    actor        VARCHAR(200) NOT NULL,
    at           TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    action       VARCHAR(50)  NOT NULL,
    entity       VARCHAR(500) NOT NULL,
    before_json  TEXT,
    after_json   TEXT
);
CREATE INDEX audit_log_entity ON audit_log (entity, at);
