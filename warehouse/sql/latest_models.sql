-- With what models keeps derived from each row (migrations 005, 006, 011), computed only by the
-- statements that read it (DuckDB inlines the view). card_base_models and card_datasets come typed
-- (typed_models.sql); card_data is not kept: models computes it from raw (migration 018).
CREATE OR REPLACE TEMP VIEW latest AS
SELECT
    * EXCLUDE (page_no, fetched_at, is_private, quarantine_reason),
    fetched_at AS first_seen,
    fetched_at AS last_seen,
    NULL::TIMESTAMP AS deleted_at,
    license_key_of(license) AS license_key,
    lower(trim(license_name)) AS license_name_key,
    parameters_from_name(id) AS name_parameters
FROM typed_rows
WHERE quarantine_reason IS NULL
  AND NOT is_private;
