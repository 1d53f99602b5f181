-- The lake's own bookkeeping, created by the first publish. DuckLake has no keys or sequences:
-- ids are copied as values.

-- Which warehouse publishes here: one row, written by the first publish; any other warehouse or Hub
-- endpoint is refused, so that two crawlers never interleave their histories in one lake.
CREATE TABLE IF NOT EXISTS lake.lake_identity (
    warehouse_id VARCHAR NOT NULL,   -- md5 of the warehouse's first crawl (endpoint and start)
    endpoint     VARCHAR NOT NULL,   -- the Hub the warehouse crawls
    lake_format  INTEGER NOT NULL,   -- the layout of the lake's tables (warehouse/lake_publish.py)
    created_at   TIMESTAMP NOT NULL  -- UTC
);

-- One row per publish, written in the publish's own transaction (its snapshot): what it covers.
CREATE TABLE IF NOT EXISTS lake.lake_publishes (
    publish_id          INTEGER NOT NULL,
    published_at        TIMESTAMP NOT NULL,  -- UTC
    last_crawl_run      INTEGER,             -- the newest crawl_runs.id it includes
    last_crawl_finished TIMESTAMP,           -- UTC
    counters_through    DATE,                -- the latest day of daily_counters it includes
    tables_changed      VARCHAR[] NOT NULL,
    rows_written        BIGINT NOT NULL,
    rows_deleted        BIGINT NOT NULL,
    seconds             DOUBLE NOT NULL,
    definitions_md5     VARCHAR NOT NULL     -- the views and macros it left (recreated when this changes)
);

-- Where each publish left the tables whose rows carry a change_seq (migration 013), written in its
-- snapshot: the next one reads the rows past it. Valid for one warehouse schema version only.
CREATE TABLE IF NOT EXISTS lake.lake_marks (
    table_name     VARCHAR NOT NULL,  -- a warehouse table: models, datasets, spaces
    schema_version INTEGER NOT NULL,  -- the warehouse's latest migration when it was published
    change_seq     BIGINT NOT NULL    -- the largest change_seq published
);

-- What each publish left in the tables it rewrites whole, and in the latest day of those it writes
-- by day (fingerprint.sql: rows and the sum of their hashes), written in its snapshot: the next
-- publish compares the warehouse with these instead of reading those tables back from storage.
CREATE TABLE IF NOT EXISTS lake.lake_fingerprints (
    table_name VARCHAR NOT NULL,  -- a lake table
    day        DATE,              -- by day: the latest day it holds; NULL for a table rewritten whole
    row_count  BIGINT NOT NULL,
    row_hash   VARCHAR NOT NULL   -- a HUGEINT, which DuckLake has no type for
);
