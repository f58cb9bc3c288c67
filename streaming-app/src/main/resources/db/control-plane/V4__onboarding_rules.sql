-- Whole-database onboardings, kept so that tables created at the source later that match one
-- are noticed and reported (they are added only by an engineer, after the same checks).
CREATE TABLE onboarding_rules (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source_id      VARCHAR(100)  NOT NULL,
    database_name  VARCHAR(300)  NOT NULL,
    include_regex  VARCHAR(1000) NOT NULL,
    exclude_regex  VARCHAR(1000),
    settings       TEXT          NOT NULL DEFAULT '{}',
    created_by     VARCHAR(200)  NOT NULL,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
);
