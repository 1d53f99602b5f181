-- What the parsed page held, for the run's counters.
SELECT
    count(*) AS records,
    count(*) FILTER (WHERE is_private) AS private_skipped,
    min(last_modified) FILTER (WHERE quarantine_reason IS NULL) AS oldest_modified
FROM page_rows
