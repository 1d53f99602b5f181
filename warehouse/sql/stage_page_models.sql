-- Public, identifiable rows of the parsed page -> staged_models.
INSERT INTO staged_models BY NAME
SELECT
    $page_no AS page_no,
    $fetched_at AS fetched_at,
    * EXCLUDE (is_private, quarantine_reason)
FROM page_rows
WHERE quarantine_reason IS NULL
  AND NOT is_private
