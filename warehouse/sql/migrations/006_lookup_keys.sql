-- What models_enriched derives from each row's own fields, kept beside them: the license value to look
-- up (lower-cased, trimmed, first of a list), license_name the same way, and the parameter count read
-- from the name. Computed in the view, they cost every report section 0.3-0.9 s at 2.5M models (a
-- regex and string functions over every row, each time); stored, the view is two small joins.
-- Written by each merge (warehouse/sql/merge_models.sql), backfilled here.

CREATE OR REPLACE MACRO license_key_of(license) AS
    CASE
        WHEN starts_with(trim(license), '[') THEN lower(trim(TRY_CAST(license AS JSON) ->> '$[0]'))
        ELSE nullif(lower(trim(license)), '')
    END;

ALTER TABLE models ADD COLUMN license_key VARCHAR;
ALTER TABLE models ADD COLUMN license_name_key VARCHAR;
ALTER TABLE models ADD COLUMN name_parameters BIGINT;

UPDATE models
SET
    license_key = license_key_of(license),
    license_name_key = lower(trim(license_name)),
    name_parameters = parameters_from_name(id);

-- As in migration 004, from the stored keys: the same rules as license_lookup_value() and the *_of()
-- macros (tests/test_license_taxonomy.py holds them to it).
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
