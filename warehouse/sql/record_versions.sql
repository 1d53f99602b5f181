-- History of the tracked fields: for each merged repository whose hashed fields differ from its open
-- version, close that version and open a new one. Unchanged repositories write nothing.
-- The open versions are compared by hash first, and the tracked columns read for the changed
-- repositories only: a hash table of every merged model's tags ran a newest-first chunk, scattered
-- over the table, out of DuckDB memory (BENCHMARKS.md, 2026-11-27 evening).
CREATE OR REPLACE TEMP TABLE version_changes AS
WITH merged AS (
    SELECT
        m.{key},
        m.last_seen,
        hash({hashed_m}) AS version_hash
    FROM {table} AS m
    JOIN latest USING (object_id)
    WHERE m.last_seen >= $since  -- implied by the join; lets DuckDB skip the rows merged before
),

changed AS (
    SELECT merged.*
    FROM merged
    LEFT JOIN {versions_table} AS open_version
        ON open_version.{key} = merged.{key}
       AND open_version.valid_to IS NULL
    WHERE open_version.version_hash IS DISTINCT FROM merged.version_hash
)

SELECT
    changed.{key},
    changed.last_seen,
    {tracked_m},
    changed.version_hash,
    m.change_seq  -- drawn by the merge just before, which changed the tracked columns
FROM changed
JOIN {table} AS m USING ({key})
WHERE m.last_seen >= $since;

UPDATE {versions_table}
SET valid_to = version_changes.last_seen
FROM version_changes
WHERE {versions_table}.{key} = version_changes.{key}
  AND {versions_table}.valid_to IS NULL;

INSERT INTO {versions_table} BY NAME
SELECT
    * EXCLUDE (last_seen),
    last_seen AS valid_from,
    NULL::TIMESTAMP AS valid_to
FROM version_changes
ORDER BY {key};
