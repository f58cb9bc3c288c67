-- Changes the job could not convert, kept whole until a reprocess writes them to the lake.
CREATE TABLE failed_events (
    event_id        VARCHAR(400) PRIMARY KEY,
    source_id       VARCHAR(200) NOT NULL,
    lake_table      VARCHAR(300) NOT NULL,
    source_table    VARCHAR(300) NOT NULL,
    position        BIGINT       NOT NULL,
    error           TEXT         NOT NULL,
    failed_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    payload         TEXT         NOT NULL,
    attempts        INT          NOT NULL DEFAULT 0,
    reprocessed_at  TIMESTAMP WITH TIME ZONE
);
CREATE INDEX failed_events_table ON failed_events (lake_table, position);
