-- cardData is kept once: in raw. models, datasets and spaces become views over the tables they are
-- now kept in (models_stored, ...: every column but card_data), which compute card_data from raw as
-- a query reads it: the same text the typing stored (checked on a 2.5M-model warehouse: every row
-- equal). Written once, a 500k-model crawl of the stand-in took ~4 % less CPU and a 7 % smaller
-- file; rows with MB-sized cards save far more (BENCHMARKS.md, 2026-12-03, tenth session). A query
-- that does not read card_data costs what it did: DuckDB drops the columns a query does not use.
-- Not a generated column: DuckDB computes those on every INSERT, to check them, which cost back what
-- storing once saved. Writers write the *_stored tables (warehouse/streams.py: Stream.stored); a
-- migration that adds a column to one adds it to its view too.

-- The record's cardData when it is a JSON object, as typing stored it in the dropped card_data
-- column (typing no longer renders the card: typed_models.sql), one rule for the three views.
CREATE MACRO card_data_of(raw) AS
    CASE WHEN json_type(raw, '$.cardData') = 'OBJECT' THEN json_extract(raw, '$.cardData') END;

ALTER TABLE models RENAME TO models_stored;

ALTER TABLE models_stored DROP COLUMN card_data;

CREATE VIEW models AS
SELECT
    id,
    model_key,
    object_id,
    author,
    created_at,
    last_modified,
    sha,
    gated,
    disabled,
    downloads,
    downloads_all_time,
    likes,
    trending_score,
    library_name,
    pipeline_tag,
    tags,
    license,
    license_name,
    parameters,
    parameters_source,
    base_models,
    base_relation,
    children_model_count,
    used_storage,
    card_data_of(raw) AS card_data,
    flags,
    raw,
    first_seen,
    last_seen,
    deleted_at,
    card_base_models,
    license_key,
    license_name_key,
    name_parameters,
    card_datasets,
    change_seq
FROM models_stored;

ALTER TABLE datasets RENAME TO datasets_stored;

ALTER TABLE datasets_stored DROP COLUMN card_data;

CREATE VIEW datasets AS
SELECT
    id,
    dataset_key,
    object_id,
    author,
    created_at,
    last_modified,
    sha,
    gated,
    disabled,
    downloads,
    downloads_all_time,
    likes,
    trending_score,
    tags,
    license,
    license_name,
    task_categories,
    modalities,
    formats,
    size_category,
    languages,
    used_storage,
    card_data_of(raw) AS card_data,
    license_key,
    license_name_key,
    flags,
    raw,
    first_seen,
    last_seen,
    deleted_at,
    change_seq
FROM datasets_stored;

ALTER TABLE spaces RENAME TO spaces_stored;

ALTER TABLE spaces_stored DROP COLUMN card_data;

CREATE VIEW spaces AS
SELECT
    id,
    space_key,
    object_id,
    author,
    created_at,
    last_modified,
    sha,
    sdk,
    runtime_stage,
    hardware,
    likes,
    trending_score,
    tags,
    license,
    models,
    datasets,
    used_storage,
    card_data_of(raw) AS card_data,
    license_key,
    flags,
    raw,
    first_seen,
    last_seen,
    deleted_at,
    change_seq
FROM spaces_stored;
