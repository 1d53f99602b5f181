-- One day of synthetic counters history for every model that existed then, $days_back days before
-- the last crawled day, as the temp table `observed` that a crawl's merge records (through
-- warehouse/sql/apply_observed_counters.sql, which also keeps the rollups). All-time downloads fall
-- back at each model's current 30-day pace (so they only ever grow going forward), the 30-day figure
-- jitters by up to ±10 %, likes fall back by one a month, and a quarter of models trend. Day 0 is the
-- crawl's own observation, unchanged.
CREATE OR REPLACE TEMP TABLE observed AS
SELECT
    CAST($last_day AS DATE) - CAST($days_back AS INTEGER) AS day,
    model_key,
    CASE
        WHEN $days_back = 0 THEN downloads
        ELSE CAST(downloads * (0.9 + (hash(model_key, $days_back) % 201) / 1000.0) AS BIGINT)
    END AS downloads,
    greatest(0, downloads_all_time - CAST(ceil(coalesce(downloads, 0) / 30.0) * $days_back AS BIGINT)) AS downloads_all_time,
    greatest(0, likes - $days_back // 30) AS likes,
    CASE
        WHEN $days_back = 0 THEN trending_score
        WHEN model_key % 4 = 0 THEN CAST(hash(model_key, $days_back) % 50 AS DOUBLE)
        ELSE 0
    END AS trending_score
FROM models
WHERE deleted_at IS NULL
  AND coalesce(CAST(created_at AS DATE), DATE '1970-01-01') <= CAST($last_day AS DATE) - CAST($days_back AS INTEGER)
