-- How far back the typed page reaches: its identifiable records' oldest lastModified (private ones
-- included: a newest-first listing is sorted over them too).
SELECT min(last_modified)
FROM typed_rows
WHERE quarantine_reason IS NULL
