-- The models a report covers: those listed at $as_of, with the metadata and counters they had then.
-- used_storage and card_data are not kept in history, so they are unknown here; flags are today's.
CREATE OR REPLACE TEMP TABLE stats_models AS
SELECT
    past.*,
    NULL::BIGINT AS used_storage,
    NULL::JSON AS card_data,
    models.flags
FROM models_as_of($as_of) AS past
JOIN models USING (model_key)
