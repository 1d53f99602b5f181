-- A Spaces chunk's rows as the spaces table keeps them: with the license key the taxonomy looks
-- up (as for models, migration 006; Spaces declare no license_name).
-- card_data is not kept: spaces computes it from raw (migration 018).
CREATE OR REPLACE TEMP VIEW latest AS
SELECT
    * EXCLUDE (page_no, fetched_at, is_private, quarantine_reason),
    fetched_at AS first_seen,
    fetched_at AS last_seen,
    NULL::TIMESTAMP AS deleted_at,
    license_key_of(license) AS license_key
FROM typed_rows
WHERE quarantine_reason IS NULL
  AND NOT is_private;
