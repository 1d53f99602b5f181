-- The models a report covers: those listed at $as_of, with the metadata and counters they had then,
-- and the canonical license and size of that metadata. used_storage and card_data (so card_base_models)
-- are not kept in history, so they are unknown here; flags are today's.
CREATE OR REPLACE TEMP TABLE stats_models AS
SELECT
    past.* EXCLUDE (parameters, parameters_source),
    NULL::BIGINT AS used_storage,
    NULL::JSON AS card_data,
    NULL::VARCHAR[] AS card_base_models,
    models.flags,
    license_id_of(past.license, past.license_name) AS license_id,
    license_family_of(past.license, past.license_name) AS license_family,
    commercial_use_of(past.license, past.license_name) AS commercial_use,
    osi_approved_of(past.license, past.license_name) AS osi_approved,
    coalesce(past.parameters, parameters_from_name(past.id)) AS parameters,
    CASE
        WHEN past.parameters IS NOT NULL THEN past.parameters_source
        WHEN parameters_from_name(past.id) IS NOT NULL THEN 'name'
    END AS parameters_source,
    size_bucket(coalesce(past.parameters, parameters_from_name(past.id))) AS size_bucket
FROM models_as_of($as_of) AS past
JOIN models USING (model_key)
