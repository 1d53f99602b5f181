-- The floor of what a first crawl stores for a record, by DuckDB's bulk functions alone, run after
-- floor_keep_raw.sql has kept every record's JSON text (benchmarks/load_floor.py): the typed fields
-- (floor_fields.sql, from $files; of cardData only the fields the crawl types) kept in a table, and
-- one history row of each kind the warehouse writes on a first crawl (a version with the tracked
-- fields and their hash, a day of counters, a link per base model). Nothing checked, flagged or
-- derived, no record kept apart: what storing costs, not typing by the README's rules.
-- Checkpointed when the connection closes.
CREATE TABLE typed AS
SELECT * EXCLUDE (filename)
FROM page_fields($files, 'STRUCT(license JSON, license_name JSON, base_model JSON, datasets JSON)');

CREATE TABLE versions AS
SELECT
    _id,
    sha, cardData.license, cardData.license_name, library_name, pipeline_tag, gated, disabled,
    coalesce(safetensors.total, gguf.total) AS parameters, baseModels, tags,
    hash(sha, cardData.license, cardData.license_name, library_name, pipeline_tag, gated, disabled,
         coalesce(safetensors.total, gguf.total), baseModels, tags) AS version_hash,
    lastModified AS valid_from
FROM typed;

CREATE TABLE counters AS
SELECT _id, lastModified::DATE AS day, downloads, downloadsAllTime, likes, trendingScore
FROM typed;

CREATE TABLE links AS
SELECT _id, unnest(baseModels.models).id AS base_model
FROM typed;
