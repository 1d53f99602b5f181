-- models_enriched and parameters_from_name, same results, without correlated subqueries: DuckDB
-- cannot prune a subquery from a view's projection, so every query over the view (even one reading
-- only library_name) ran the four license lookups and the name parse for every row (4.8 s to read the
-- view at 200k models, where these joins take a few milliseconds).

CREATE OR REPLACE MACRO parameters_from_name(model_id) AS (
    list_transform(
        [regexp_extract(
            lower(split_part(model_id, '/', -1)),
            '(?:^|[-_./ ])(?:(\d{1,3})x)?(\d{1,4}(?:\.\d{1,2})?)([kmbt])(?:$|[-_./ ])',
            ['experts', 'number', 'unit']
        )],
        t -> CASE WHEN t.number <> '' THEN round(
            coalesce(TRY_CAST(nullif(t.experts, '') AS DOUBLE), 1) * TRY_CAST(t.number AS DOUBLE)
            * CASE t.unit WHEN 'k' THEN 1e3 WHEN 'm' THEN 1e6 WHEN 'b' THEN 1e9 ELSE 1e12 END
        )::BIGINT END
    )[1]
);

-- The license lookup of license_lookup_value() and the *_of() macros, as two joins on license_map.
-- Subqueries, not CTEs: a CTE used twice is materialized, and would read every column of models
-- (card_data and raw included) whatever the query over the view needs.
CREATE OR REPLACE VIEW models_enriched AS
SELECT
    looked_up.* EXCLUDE (parameters, parameters_source, lookup_value, name_parameters),
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
        CASE
            WHEN starts_with(trim(models.license), '[') THEN lower(trim(TRY_CAST(models.license AS JSON) ->> '$[0]'))
            WHEN lower(trim(models.license)) = 'other' AND named.raw_value IS NOT NULL THEN named.raw_value
            ELSE nullif(lower(trim(models.license)), '')
        END AS lookup_value,
        CASE WHEN models.parameters IS NULL THEN parameters_from_name(models.id) END AS name_parameters  -- only where needed
    FROM models
    LEFT JOIN (SELECT DISTINCT raw_value FROM license_map) AS named
        ON named.raw_value = lower(trim(models.license_name))
) AS looked_up
LEFT JOIN (SELECT DISTINCT ON (raw_value) * FROM license_map) AS taxonomy
    ON taxonomy.raw_value = looked_up.lookup_value;
