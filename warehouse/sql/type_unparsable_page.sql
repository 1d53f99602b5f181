-- Fallback when a page's records cannot be typed at all: keep every record raw, to be quarantined.
INSERT INTO typed_rows (page_no, fetched_at, raw, is_private, quarantine_reason, flags)
SELECT $page_no, $fetched_at, raw, false, $reason, []
FROM (SELECT unnest(CAST($body AS JSON[])) AS raw)
