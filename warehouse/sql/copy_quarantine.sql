-- The chunk's records that could not become a row, kept raw with the reason, in the same
-- transaction as the chunk's rows (a rerun of the chunk rolls both back together).
INSERT INTO quarantine
SELECT $run_id, page_no, fetched_at, quarantine_reason, raw
FROM typed_rows
WHERE quarantine_reason IS NOT NULL
  AND NOT is_private
