-- Day-by-day counters for every model this crawl observed; a later crawl the same day replaces them.
-- $first_day (the chunk's earliest day) is a constant so that DuckDB skips the history before it
-- instead of scanning a year of it for every chunk.
DELETE FROM daily_counters
USING latest
JOIN models USING (id)
WHERE daily_counters.day >= $first_day
  AND daily_counters.model_key = models.model_key
  AND daily_counters.day = CAST(latest.last_seen AS DATE);

INSERT INTO daily_counters
SELECT
    CAST(latest.last_seen AS DATE) AS day,
    models.model_key,
    models.downloads,
    models.downloads_all_time,
    models.likes,
    models.trending_score
FROM latest
JOIN models USING (id)
ORDER BY day, model_key;
