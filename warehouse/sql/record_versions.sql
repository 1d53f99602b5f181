-- Metadata history: for each merged model whose tracked fields differ from its open version,
-- close that version and open a new one. Unchanged models write nothing.
-- The open versions are compared by hash first, and the tracked columns read for the changed
-- models only: a hash table of every merged model's tags ran a newest-first chunk, scattered over
-- the table, out of DuckDB memory (BENCHMARKS.md, 2026-11-27 evening).
CREATE OR REPLACE TEMP TABLE version_changes AS
WITH merged AS (
    SELECT
        m.model_key,
        m.last_seen,
        hash(m.sha, m.license, m.license_name, m.library_name, m.pipeline_tag, m.gated, m.disabled,
             m.parameters, m.base_models, m.base_relation, m.tags) AS version_hash
    FROM models AS m
    JOIN latest USING (object_id)
    WHERE m.last_seen >= $since  -- implied by the join; lets DuckDB skip the models merged before
),

changed AS (
    SELECT merged.*
    FROM merged
    LEFT JOIN model_versions AS open_version
        ON open_version.model_key = merged.model_key
       AND open_version.valid_to IS NULL
    WHERE open_version.version_hash IS DISTINCT FROM merged.version_hash
)

SELECT
    changed.model_key, changed.last_seen, m.sha, m.license, m.license_name, m.library_name, m.pipeline_tag,
    m.gated, m.disabled, m.parameters, m.parameters_source, m.base_models, m.base_relation, m.tags,
    changed.version_hash
FROM changed
JOIN models AS m USING (model_key)
WHERE m.last_seen >= $since;

UPDATE model_versions
SET valid_to = version_changes.last_seen
FROM version_changes
WHERE model_versions.model_key = version_changes.model_key
  AND model_versions.valid_to IS NULL;

INSERT INTO model_versions
SELECT
    model_key,
    last_seen AS valid_from,
    NULL AS valid_to,
    sha,
    license,
    license_name,
    library_name,
    pipeline_tag,
    gated,
    disabled,
    parameters,
    parameters_source,
    base_models,
    base_relation,
    tags,
    version_hash
FROM version_changes
ORDER BY model_key;
