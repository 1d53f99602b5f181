-- The staging file: one crawl's pages, committed page by page together with the cursor that
-- follows them, outside the warehouse so that analysts can read the warehouse while a crawl runs.
CREATE TABLE IF NOT EXISTS crawl_state (
    run_id                  INTEGER NOT NULL,
    kind                    VARCHAR NOT NULL,  -- full | incremental | counters
    endpoint                VARCHAR NOT NULL,
    watermark               TIMESTAMP,         -- incremental: stop once a page reaches below this
    next_path               VARCHAR,          -- path?query of the next page; NULL once listing is done
    listing_done            BOOLEAN NOT NULL DEFAULT false,
    pages                   INTEGER NOT NULL DEFAULT 0,
    records                 BIGINT NOT NULL DEFAULT 0,
    private_skipped         BIGINT NOT NULL DEFAULT 0,
    retries                 INTEGER NOT NULL DEFAULT 0,
    http_429                INTEGER NOT NULL DEFAULT 0,
    rate_limit_waits        INTEGER NOT NULL DEFAULT 0,
    rate_limit_wait_seconds DOUBLE NOT NULL DEFAULT 0
);

CREATE TABLE IF NOT EXISTS staged_models (
    page_no              INTEGER NOT NULL,
    fetched_at           TIMESTAMP NOT NULL,
    id                   VARCHAR NOT NULL,
    object_id            VARCHAR,
    author               VARCHAR,
    created_at           TIMESTAMP,
    last_modified        TIMESTAMP,
    sha                  VARCHAR,
    gated                VARCHAR,
    disabled             BOOLEAN,
    downloads            BIGINT,
    downloads_all_time   BIGINT,
    likes                BIGINT,
    trending_score       DOUBLE,
    library_name         VARCHAR,
    pipeline_tag         VARCHAR,
    tags                 VARCHAR[],
    license              VARCHAR,
    license_name         VARCHAR,
    parameters           BIGINT,
    parameters_source    VARCHAR,
    base_models          VARCHAR[],
    base_relation        VARCHAR,
    children_model_count BIGINT,
    used_storage         BIGINT,
    card_data            JSON,
    flags                VARCHAR[] NOT NULL,
    raw                  JSON NOT NULL
);

CREATE TABLE IF NOT EXISTS staged_quarantine (
    page_no    INTEGER NOT NULL,
    fetched_at TIMESTAMP NOT NULL,
    reason     VARCHAR NOT NULL,
    raw        JSON NOT NULL
);
