-- One day of synthetic counters history for every model that existed then, $days_back days before
-- the last crawled day, as the temp table `observed` that a crawl's merge records (through
-- warehouse/sql/apply_observed_counters.sql, which also keeps the rollups). Day 0 is the crawl's own
-- observation, unchanged.
-- Counters move as on the Hub, where most models' do not move on most days: a model's 30-day
-- downloads (from the calibrated population: tests/hub_standin/calibration.py) give its daily rate
-- r = downloads / 30, and its counters move on a day when a download comes in or one leaves the
-- 30-day window, i.e. on a share p = 1 - exp(-2 r) of days (a Poisson assumption). Going back, each
-- model's counters step back on about p of the days (evenly spaced, from a phase drawn per model):
-- all-time downloads by about a day's downloads at each step, the 30-day figure by a little, likes by
-- one every 20 steps; a trending model's score moves every day, the others' stays 0.
CREATE OR REPLACE TEMP TABLE observed AS
WITH paced AS (
    SELECT
        *,
        1 - exp(-2 * coalesce(downloads, 0) / 30.0) AS p,
        (hash(model_key) % 1000) / 1000.0 AS phase
    FROM models
    WHERE deleted_at IS NULL
      AND coalesce(CAST(created_at AS DATE), DATE '1970-01-01') <= CAST($last_day AS DATE) - CAST($days_back AS INTEGER)
),

stepped AS (
    SELECT
        *,
        CAST(floor(p * $days_back + phase) AS BIGINT) AS steps_back
    FROM paced
)

SELECT
    CAST($last_day AS DATE) - CAST($days_back AS INTEGER) AS day,
    model_key,
    CASE WHEN downloads IS NULL THEN NULL ELSE greatest(0, downloads - steps_back % 5) END AS downloads,
    greatest(0, downloads_all_time - CAST(ceil(coalesce(downloads, 0) / 30.0) AS BIGINT) * steps_back)
        AS downloads_all_time,
    greatest(0, likes - steps_back // 20) AS likes,
    CASE
        WHEN $days_back = 0 OR coalesce(trending_score, 0) = 0 THEN trending_score
        ELSE CAST(hash(model_key, $days_back) % 50 AS DOUBLE)
    END AS trending_score
FROM stepped
