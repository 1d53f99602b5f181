-- The models a report covers: those listed at $as_of, with the metadata and counters they had then.
-- used_storage is not kept in history, so it is unknown here; flags are today's.
CREATE OR REPLACE TEMP TABLE stats_models AS
SELECT
    past.*,
    NULL::BIGINT AS used_storage,
    models.flags
FROM models_as_of($as_of) AS past
JOIN models USING (model_key)
