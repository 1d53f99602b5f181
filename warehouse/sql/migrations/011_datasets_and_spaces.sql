-- Datasets and Spaces beside the models, with the same machinery (warehouse/streams.py): a
-- current-state table keyed by _id, day-by-day counters, versions of the tracked fields, renames.
-- Documented for analysts in README.md ("Warehouse schema").

-- Which stream each crawl listed; every run before this one listed models.
ALTER TABLE crawl_runs ADD COLUMN repo_type VARCHAR DEFAULT 'models';

CREATE SEQUENCE dataset_keys START 1;

CREATE TABLE datasets (
    id                 VARCHAR NOT NULL,   -- "author/name", as the Hub spells it now
    dataset_key        INTEGER NOT NULL DEFAULT nextval('dataset_keys'),  -- compact key for history tables
    object_id          VARCHAR,            -- the Hub's _id: the dataset's identity
    author             VARCHAR,
    created_at         TIMESTAMP,          -- UTC
    last_modified      TIMESTAMP,          -- UTC
    sha                VARCHAR,
    gated              VARCHAR,            -- 'false', 'auto' or 'manual'
    disabled           BOOLEAN,
    downloads          BIGINT,             -- last 30 days
    downloads_all_time BIGINT,
    likes              BIGINT,
    trending_score     DOUBLE,
    tags               VARCHAR[],
    license            VARCHAR,            -- cardData.license, else the license: tag
    license_name       VARCHAR,
    task_categories    VARCHAR[],          -- the task_categories: tags' values
    modalities         VARCHAR[],          -- modality:
    formats            VARCHAR[],          -- format:
    size_category      VARCHAR,            -- the first size_categories: tag's value
    languages          VARCHAR[],          -- language:
    used_storage       BIGINT,             -- bytes
    card_data          JSON USING COMPRESSION zstd,  -- compressed as models' (migration 001)
    license_key        VARCHAR,            -- license as the taxonomy looks it up (as for models)
    license_name_key   VARCHAR,
    flags              VARCHAR[],
    raw                JSON USING COMPRESSION zstd NOT NULL,
    first_seen         TIMESTAMP NOT NULL,
    last_seen          TIMESTAMP NOT NULL,
    deleted_at         TIMESTAMP
);

CREATE SEQUENCE space_keys START 1;

CREATE TABLE spaces (
    id             VARCHAR NOT NULL,
    space_key      INTEGER NOT NULL DEFAULT nextval('space_keys'),
    object_id      VARCHAR,
    author         VARCHAR,
    created_at     TIMESTAMP,
    last_modified  TIMESTAMP,
    sha            VARCHAR,
    sdk            VARCHAR,                -- gradio, streamlit, docker, static
    runtime_stage  VARCHAR,                -- runtime.stage: RUNNING, SLEEPING, BUILDING, ...
    hardware       VARCHAR,                -- runtime.hardware.current, else .requested
    likes          BIGINT,
    trending_score DOUBLE,
    tags           VARCHAR[],
    license        VARCHAR,
    models         VARCHAR[],              -- the models the Space declares it uses, as given
    datasets       VARCHAR[],              -- the datasets it declares, as given
    used_storage   BIGINT,
    card_data      JSON USING COMPRESSION zstd,
    license_key    VARCHAR,
    flags          VARCHAR[],
    raw            JSON USING COMPRESSION zstd NOT NULL,
    first_seen     TIMESTAMP NOT NULL,
    last_seen      TIMESTAMP NOT NULL,
    deleted_at     TIMESTAMP
);

CREATE TABLE dataset_daily_counters (
    day                DATE NOT NULL,
    dataset_key        INTEGER NOT NULL,
    downloads          BIGINT,
    downloads_all_time BIGINT,
    likes              INTEGER,
    trending_score     DOUBLE
);

CREATE TABLE space_daily_counters (
    day            DATE NOT NULL,
    space_key      INTEGER NOT NULL,
    likes          INTEGER,
    trending_score DOUBLE
);

CREATE TABLE dataset_versions (
    dataset_key  INTEGER NOT NULL,
    valid_from   TIMESTAMP NOT NULL,
    valid_to     TIMESTAMP,
    sha          VARCHAR,
    license      VARCHAR,
    license_name VARCHAR,
    gated        VARCHAR,
    disabled     BOOLEAN,
    tags         VARCHAR[],
    version_hash UBIGINT NOT NULL
);

CREATE TABLE space_versions (
    space_key    INTEGER NOT NULL,
    valid_from   TIMESTAMP NOT NULL,
    valid_to     TIMESTAMP,
    sha          VARCHAR,
    license      VARCHAR,
    sdk          VARCHAR,
    hardware     VARCHAR,
    models       VARCHAR[],
    datasets     VARCHAR[],
    tags         VARCHAR[],
    version_hash UBIGINT NOT NULL
);

CREATE TABLE dataset_renames (
    dataset_key INTEGER NOT NULL,
    old_id      VARCHAR NOT NULL,
    new_id      VARCHAR NOT NULL,
    seen_at     TIMESTAMP NOT NULL
);

CREATE TABLE space_renames (
    space_key INTEGER NOT NULL,
    old_id    VARCHAR NOT NULL,
    new_id    VARCHAR NOT NULL,
    seen_at   TIMESTAMP NOT NULL
);

-- cardData.datasets as a list of dataset ids, kept beside card_data as card_base_models is
-- (migration 005): repo_links reads it for every model. Written by each merge (latest_models.sql).
CREATE OR REPLACE MACRO card_datasets_of(card_data) AS (
    CASE json_type(card_data, '$.datasets')
        WHEN 'VARCHAR' THEN [card_data ->> '$.datasets']
        WHEN 'ARRAY' THEN TRY_CAST(card_data -> '$.datasets' AS VARCHAR[])
    END
);

ALTER TABLE models ADD COLUMN card_datasets VARCHAR[];

UPDATE models
SET card_datasets = card_datasets_of(card_data)
WHERE card_data IS NOT NULL;

-- The canonical license of a dataset or Space, as models_enriched gives a model's (migration 006).
CREATE VIEW datasets_enriched AS
SELECT
    looked_up.* EXCLUDE (lookup_value),
    taxonomy.license_id,
    CASE WHEN looked_up.lookup_value IS NULL THEN 'none' ELSE coalesce(taxonomy.family, 'unknown') END
        AS license_family,
    taxonomy.commercial_use,
    taxonomy.osi_approved
FROM (
    SELECT
        datasets.*,
        CASE
            WHEN datasets.license_key = 'other' AND lower(trim(datasets.license)) = 'other' AND named.raw_value IS NOT NULL
                THEN named.raw_value
            ELSE datasets.license_key
        END AS lookup_value
    FROM datasets
    LEFT JOIN (SELECT DISTINCT raw_value FROM license_map) AS named
        ON named.raw_value = datasets.license_name_key
) AS looked_up
LEFT JOIN (SELECT DISTINCT ON (raw_value) * FROM license_map) AS taxonomy
    ON taxonomy.raw_value = looked_up.lookup_value;

CREATE VIEW spaces_enriched AS
SELECT
    spaces.*,
    taxonomy.license_id,
    CASE WHEN spaces.license_key IS NULL THEN 'none' ELSE coalesce(taxonomy.family, 'unknown') END
        AS license_family,
    taxonomy.commercial_use,
    taxonomy.osi_approved
FROM spaces
LEFT JOIN (SELECT DISTINCT ON (raw_value) * FROM license_map) AS taxonomy
    ON taxonomy.raw_value = spaces.license_key;

-- Every link a current repository declares to another, once per (from, to, where declared), with
-- whether the target is a current repository of the mirror (ids compared case-insensitively, as the
-- Hub does): a link to a private, deleted or misspelled repository is kept, in_mirror false.
CREATE VIEW repo_links AS
WITH current_models AS NOT MATERIALIZED (
    SELECT id, tags, card_datasets, base_models, card_base_models
    FROM models
    WHERE deleted_at IS NULL
),

declared AS (
    SELECT 'model' AS from_type, id AS from_id, 'dataset' AS to_type, unnest(card_datasets) AS to_id,
           'cardData' AS source
    FROM current_models
    WHERE card_datasets IS NOT NULL
    UNION ALL
    SELECT 'model', id, 'dataset', tag[9:], 'tags'
    FROM (SELECT id, unnest(tags) AS tag FROM current_models)
    WHERE starts_with(tag, 'dataset:')
    UNION ALL
    SELECT 'model', id, 'model', unnest(base_models), 'baseModels'
    FROM current_models
    WHERE base_models IS NOT NULL
    UNION ALL
    SELECT 'model', id, 'model', unnest(card_base_models), 'cardData'
    FROM current_models
    WHERE card_base_models IS NOT NULL
    UNION ALL
    SELECT 'space', id, 'model', unnest(models), 'space.models'
    FROM spaces
    WHERE deleted_at IS NULL AND models IS NOT NULL
    UNION ALL
    SELECT 'space', id, 'dataset', unnest(datasets), 'space.datasets'
    FROM spaces
    WHERE deleted_at IS NULL AND datasets IS NOT NULL
),

links AS (
    SELECT DISTINCT *
    FROM declared
    WHERE to_id IS NOT NULL
      AND to_id <> ''
),

targets AS (
    SELECT DISTINCT 'model' AS to_type, lower(id) AS target FROM models WHERE deleted_at IS NULL
    UNION ALL
    SELECT DISTINCT 'dataset', lower(id) FROM datasets WHERE deleted_at IS NULL
)

SELECT
    links.from_type,
    links.from_id,
    links.to_type,
    links.to_id,
    links.source,
    targets.target IS NOT NULL AS in_mirror
FROM links
LEFT JOIN targets
    ON targets.to_type = links.to_type
   AND targets.target = lower(links.to_id);

-- models gained card_datasets: models_enriched, as migration 006 defines it, lists its columns anew
-- (DuckDB's catalog keeps a view's columns as they were when it was created).
CREATE OR REPLACE VIEW models_enriched AS
SELECT
    looked_up.* EXCLUDE (parameters, parameters_source, lookup_value),
    taxonomy.license_id,
    CASE WHEN looked_up.lookup_value IS NULL THEN 'none' ELSE coalesce(taxonomy.family, 'unknown') END
        AS license_family,
    taxonomy.commercial_use,
    taxonomy.osi_approved,
    coalesce(looked_up.parameters, looked_up.name_parameters) AS parameters,
    CASE
        WHEN looked_up.parameters IS NOT NULL THEN looked_up.parameters_source
        WHEN looked_up.name_parameters IS NOT NULL THEN 'name'
    END AS parameters_source,
    size_bucket(coalesce(looked_up.parameters, looked_up.name_parameters)) AS size_bucket
FROM (
    SELECT
        models.*,
        CASE  -- 'other' (not a list holding it) defers to a license_name the taxonomy knows
            WHEN models.license_key = 'other' AND lower(trim(models.license)) = 'other' AND named.raw_value IS NOT NULL
                THEN named.raw_value
            ELSE models.license_key
        END AS lookup_value
    FROM models
    LEFT JOIN (SELECT DISTINCT raw_value FROM license_map) AS named
        ON named.raw_value = models.license_name_key
) AS looked_up
LEFT JOIN (SELECT DISTINCT ON (raw_value) * FROM license_map) AS taxonomy
    ON taxonomy.raw_value = looked_up.lookup_value;
