-- The staging file: one crawl's listing, committed page by page together with the cursor that
-- follows, outside the warehouse so that analysts can read the warehouse while a crawl runs. Each
-- page's body is a file beside it (warehouse/staging.py); it is typed when its chunk is merged.
CREATE TABLE IF NOT EXISTS crawl_state (
    run_id                  INTEGER NOT NULL,
    kind                    VARCHAR NOT NULL,  -- full | incremental | counters
    endpoint                VARCHAR NOT NULL,
    watermark               TIMESTAMP,         -- incremental: stop once a page reaches below this
    next_path               VARCHAR,          -- path?query of the next page; NULL once listing is done
    listing_done            BOOLEAN NOT NULL DEFAULT false,
    pages                   INTEGER NOT NULL DEFAULT 0,
    records                 BIGINT NOT NULL DEFAULT 0,
    retries                 INTEGER NOT NULL DEFAULT 0,
    http_429                INTEGER NOT NULL DEFAULT 0,
    rate_limit_waits        INTEGER NOT NULL DEFAULT 0,
    rate_limit_wait_seconds DOUBLE NOT NULL DEFAULT 0
);
-- The order the Hub lists in ('ascending' | 'descending'), read from its pages; NULL until one tells.
-- Added after the table: a staging file left by an older version gains it.
ALTER TABLE crawl_state ADD COLUMN IF NOT EXISTS listing_order VARCHAR;

-- The staged pages not merged yet; each one's body is in the file page_path() names.
CREATE TABLE IF NOT EXISTS staged_pages (
    page_no    INTEGER NOT NULL,
    fetched_at TIMESTAMP NOT NULL,
    records    INTEGER NOT NULL  -- the body's array length, private and malformed records included
);
