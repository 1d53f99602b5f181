-- The typed rows of the chunk being merged, shaped like models rows: public, identifiable, each
-- the newest copy of its model (its _id) in the chunk (a model listed twice keeps its later copy;
-- one on a later chunk's page is applied by that chunk, later). Older copies are dropped once, here; the
-- view then costs each statement of the merge a plain scan.
DELETE FROM typed_rows AS s
WHERE s.quarantine_reason IS NULL
  AND NOT s.is_private
  AND EXISTS (
      SELECT 1
      FROM typed_rows AS later
      WHERE later.object_id = s.object_id
        AND later.page_no > s.page_no
        AND later.quarantine_reason IS NULL
        AND NOT later.is_private
  );

-- With what models keeps derived from each row (migrations 005, 006), computed only by the
-- statements that read it (DuckDB inlines the view).
CREATE OR REPLACE TEMP VIEW latest AS
SELECT
    * EXCLUDE (page_no, fetched_at, is_private, quarantine_reason),
    fetched_at AS first_seen,
    fetched_at AS last_seen,
    NULL::TIMESTAMP AS deleted_at,
    card_base_models_of(card_data) AS card_base_models,
    license_key_of(license) AS license_key,
    lower(trim(license_name)) AS license_name_key,
    parameters_from_name(id) AS name_parameters
FROM typed_rows
WHERE quarantine_reason IS NULL
  AND NOT is_private;
