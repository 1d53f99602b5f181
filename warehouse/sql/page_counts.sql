-- What the parsed page held, for the run's counters.
SELECT
    count(*) AS records,
    count(*) FILTER (WHERE is_private) AS private_skipped
FROM page_rows
