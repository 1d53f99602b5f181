-- Day-by-day counters for every model this crawl observed; a later crawl the same day replaces them.
CREATE OR REPLACE TEMP TABLE observed AS
SELECT
    CAST(latest.last_seen AS DATE) AS day,
    models.model_key,
    models.downloads,
    models.downloads_all_time,
    models.likes,
    models.trending_score
FROM latest
JOIN models USING (id);

-- Joined on both keys, so that the planner cannot pair every row of a day with every other. The
-- constant $first_day (the chunk's earliest day) lets DuckDB skip the history before it instead of
-- scanning a year of it for every chunk.
DELETE FROM daily_counters
USING observed
WHERE daily_counters.day >= $first_day
  AND daily_counters.day = observed.day
  AND daily_counters.model_key = observed.model_key;

INSERT INTO daily_counters
SELECT *
FROM observed
ORDER BY day, model_key;
