-- The warehouse's first schema. Documented for analysts in README.md ("Warehouse schema").
-- No PRIMARY KEY on models: on wide tables with LIST columns DuckDB's key index makes upserts
-- ~40x slower (../shared/warehouse-notes.md); uniqueness of id is checked by tests instead.
-- raw and card_data, most of the bytes, are kept compressed with ZSTD (in a warehouse created in
-- DuckDB's 1.5 storage format, as warehouse/connect.py creates them; older files store them as they
-- did: uncompressed). Forced, it also spares the checkpoint FSST's analysis of each column.

CREATE SEQUENCE model_keys START 1;

CREATE TABLE models (
    id                   VARCHAR NOT NULL,   -- "author/name", as the Hub spells it
    model_key            INTEGER NOT NULL DEFAULT nextval('model_keys'),  -- compact key for history tables
    object_id            VARCHAR,            -- the Hub's _id (24-hex ObjectId)
    author               VARCHAR,
    created_at           TIMESTAMP,          -- UTC; the legacy cohort: is_legacy_cohort()
    last_modified        TIMESTAMP,          -- UTC
    sha                  VARCHAR,
    gated                VARCHAR,            -- 'false', 'auto' or 'manual', as the Hub gives it
    disabled             BOOLEAN,
    downloads            BIGINT,             -- last 30 days
    downloads_all_time   BIGINT,
    likes                BIGINT,
    trending_score       DOUBLE,
    library_name         VARCHAR,
    pipeline_tag         VARCHAR,
    tags                 VARCHAR[],
    license              VARCHAR,            -- cardData.license, else the license: tag; a list is kept as JSON text
    license_name         VARCHAR,            -- cardData.license_name (set with license 'other')
    parameters           BIGINT,             -- safetensors.total, else gguf.total
    parameters_source    VARCHAR,            -- 'safetensors' | 'gguf' | NULL
    base_models          VARCHAR[],          -- baseModels.models[].id
    base_relation        VARCHAR,            -- baseModels.relation: finetune | adapter | quantized | merge
    children_model_count BIGINT,
    used_storage         BIGINT,             -- bytes
    card_data            JSON USING COMPRESSION zstd,
    flags                VARCHAR[],          -- data-quality flags; empty when the record is clean
    raw                  JSON USING COMPRESSION zstd NOT NULL,  -- the record exactly as the Hub sent it
    first_seen           TIMESTAMP NOT NULL, -- UTC, first crawl that listed it
    last_seen            TIMESTAMP NOT NULL, -- UTC, last crawl that listed it
    deleted_at           TIMESTAMP           -- UTC, set by the first full crawl that no longer lists it
);

-- Records that cannot become a model row (no usable id): kept raw, never dropped.
CREATE TABLE quarantine (
    run_id     INTEGER NOT NULL,
    page_no    INTEGER NOT NULL,
    fetched_at TIMESTAMP NOT NULL,
    reason     VARCHAR NOT NULL,
    raw        JSON USING COMPRESSION zstd NOT NULL
);

CREATE SEQUENCE crawl_run_ids START 1;

CREATE TABLE crawl_runs (
    id                      INTEGER PRIMARY KEY DEFAULT nextval('crawl_run_ids'),
    kind                    VARCHAR NOT NULL,   -- 'full' | 'incremental' | 'counters'
    endpoint                VARCHAR NOT NULL,
    started                 TIMESTAMP NOT NULL, -- UTC
    finished                TIMESTAMP,          -- UTC
    status                  VARCHAR NOT NULL,   -- running | finished | failed | interrupted
    pages                   INTEGER NOT NULL DEFAULT 0,
    records                 BIGINT NOT NULL DEFAULT 0,  -- records received, private ones included
    models_loaded           BIGINT NOT NULL DEFAULT 0,  -- public model rows written
    private_skipped         BIGINT NOT NULL DEFAULT 0,
    flagged                 BIGINT NOT NULL DEFAULT 0,  -- rows with data-quality flags
    quarantined             BIGINT NOT NULL DEFAULT 0,
    marked_deleted          BIGINT NOT NULL DEFAULT 0,
    retries                 INTEGER NOT NULL DEFAULT 0,
    http_429                INTEGER NOT NULL DEFAULT 0,
    rate_limit_waits        INTEGER NOT NULL DEFAULT 0,
    rate_limit_wait_seconds DOUBLE NOT NULL DEFAULT 0,
    resumes                 INTEGER NOT NULL DEFAULT 0,
    merged_pages            INTEGER NOT NULL DEFAULT 0,  -- staged pages applied so far (merges go in chunks)
    watermark               TIMESTAMP,          -- incremental runs: listed back to this lastModified
    error                   VARCHAR
);

-- Day-by-day counters: one row per model and day a crawl observed them. Narrow, integer-keyed and
-- written in (day, model_key) order so that DuckDB compresses it to a few bytes a row.
CREATE TABLE daily_counters (
    day                DATE NOT NULL,
    model_key          INTEGER NOT NULL,
    downloads          BIGINT,
    downloads_all_time BIGINT,
    likes              INTEGER,
    trending_score     DOUBLE
);

-- Metadata history (SCD type 2): a new row only when a tracked field changes.
CREATE TABLE model_versions (
    model_key      INTEGER NOT NULL,
    valid_from     TIMESTAMP NOT NULL,  -- UTC, the crawl that first saw this version
    valid_to       TIMESTAMP,           -- UTC, the crawl that saw the next one; NULL = current
    sha            VARCHAR,
    license        VARCHAR,
    license_name   VARCHAR,
    library_name   VARCHAR,
    pipeline_tag   VARCHAR,
    gated          VARCHAR,
    disabled       BOOLEAN,
    parameters     BIGINT,
    parameters_source VARCHAR,
    base_models    VARCHAR[],
    base_relation  VARCHAR,
    tags           VARCHAR[],
    version_hash   UBIGINT NOT NULL
);

-- The ecosystem as of a moment: the models listed then, with the metadata and counters they had.
CREATE MACRO models_as_of(at_time) AS TABLE
WITH versions AS (
    SELECT *
    FROM model_versions
    WHERE valid_from <= at_time
      AND (valid_to IS NULL OR valid_to > at_time)
),

counters AS (
    SELECT
        model_key,
        arg_max(downloads, day) AS downloads,
        arg_max(downloads_all_time, day) AS downloads_all_time,
        arg_max(likes, day) AS likes,
        arg_max(trending_score, day) AS trending_score
    FROM daily_counters
    WHERE day <= CAST(at_time AS DATE)
    GROUP BY model_key
)

SELECT
    m.id,
    m.model_key,
    m.author,
    m.created_at,
    v.* EXCLUDE (model_key, version_hash),
    c.* EXCLUDE (model_key),
    m.first_seen,
    m.deleted_at
FROM versions AS v
JOIN models AS m USING (model_key)
LEFT JOIN counters AS c USING (model_key)
WHERE m.first_seen <= at_time
  AND (m.deleted_at IS NULL OR m.deleted_at > at_time);
