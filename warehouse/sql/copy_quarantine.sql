INSERT INTO quarantine
SELECT $run_id, page_no, fetched_at, reason, raw
FROM stage.staged_quarantine
