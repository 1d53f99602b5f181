-- Fallback when a page's records cannot be typed at all: keep every record raw, in quarantine.
INSERT INTO staged_quarantine
SELECT $page_no, $fetched_at, $reason, raw
FROM (SELECT unnest(CAST($body AS JSON[])) AS raw)
