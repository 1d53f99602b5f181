-- Identity is the Hub's _id (object_id), not the id: a renamed repository keeps its _id and is listed
-- under its new id. Merges match models by object_id (warehouse/sql/merge_models.sql), so a renamed
-- model keeps its row, model_key and history; each rename is recorded here.
CREATE TABLE model_renames (
    model_key INTEGER NOT NULL,    -- models.model_key
    old_id    VARCHAR NOT NULL,    -- the id it had until then
    new_id    VARCHAR NOT NULL,    -- the id it is listed under from then on
    seen_at   TIMESTAMP NOT NULL   -- UTC: when a crawl first listed it under new_id
);

-- The order the Hub listed in ('ascending' | 'descending', read from its pages; NULL: no page told).
ALTER TABLE crawl_runs ADD COLUMN listing_order VARCHAR;

-- Keyed on id before, a rename read as a deletion plus a new model: two rows with one _id. The row
-- seen last keeps it; the others (deleted, with their own history) keep theirs in raw only, so that
-- merges match one row per _id.
UPDATE models
SET object_id = NULL
WHERE object_id IS NOT NULL
  AND model_key NOT IN (
      SELECT arg_max(model_key, last_seen)
      FROM models
      WHERE object_id IS NOT NULL
      GROUP BY object_id
  );

-- As in migration 001, with the id each model had at at_time: the new id of its last rename by then,
-- else the old id of its first rename after it, else its id now.
CREATE OR REPLACE MACRO models_as_of(at_time) AS TABLE
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
),

ids_then AS (
    SELECT
        model_key,
        coalesce(
            arg_max(new_id, seen_at) FILTER (WHERE seen_at <= at_time),
            arg_min(old_id, seen_at) FILTER (WHERE seen_at > at_time)
        ) AS id
    FROM model_renames
    GROUP BY model_key
)

SELECT
    coalesce(i.id, m.id) AS id,
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
LEFT JOIN ids_then AS i USING (model_key)
WHERE m.first_seen <= at_time
  AND (m.deleted_at IS NULL OR m.deleted_at > at_time);
