-- The chunk's records that could not become model rows, kept raw with the reason, in the same
-- transaction as the chunk's models (a rerun of the chunk rolls both back together).
INSERT INTO quarantine
SELECT $run_id, page_no, fetched_at, reason, raw
FROM stage.staged_quarantine
WHERE page_no > $after_page
  AND page_no <= $through_page
