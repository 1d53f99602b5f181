-- What the whole crawl loaded: distinct repositories it merged, and how many of them carry data-quality flags.
SELECT
    count(*) AS models_loaded,
    count(*) FILTER (WHERE len(flags) > 0) AS flagged
FROM {table}
WHERE last_seen >= $started
