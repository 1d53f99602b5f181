-- Keeps the models' rollups daily_totals and latest_counters in step with the temp table `observed`
-- (day, model_key, downloads, downloads_all_time, likes, trending_score; one row per model), which
-- write_observed_counters.sql records in daily_counters. Run by the merge of a models chunk, and
-- by the benchmarks' synthetic history (apply_observed_counters.sql), so that both fill them alike.

-- Each observation's gain: against the model's latest recorded day or, when that is the same day
-- (a second crawl that day), against the day before it, and undoing the gain the first crawl gave.
-- Days are recorded in order: an observation older than a model's latest day leaves the rollups alone.
CREATE OR REPLACE TEMP TABLE observed_gains AS
SELECT
    o.day,
    o.model_key,
    o.downloads_all_time,
    CASE WHEN s.day = o.day THEN s.previous_downloads_all_time ELSE s.downloads_all_time END
        AS previous_downloads_all_time,
    CASE WHEN s.day = o.day THEN s.downloads_all_time - s.previous_downloads_all_time END AS replaced_gain
FROM observed AS o
LEFT JOIN latest_counters AS s USING (model_key)
WHERE s.day IS NULL OR s.day <= o.day;

CREATE OR REPLACE TEMP TABLE totals_change AS
SELECT
    day,
    count(downloads_all_time - previous_downloads_all_time) - count(replaced_gain) AS models_observed,
    coalesce(sum(downloads_all_time - previous_downloads_all_time), 0) - coalesce(sum(replaced_gain), 0)
        AS downloads_gained
FROM observed_gains
GROUP BY day;

INSERT INTO daily_totals
SELECT day, 0, 0
FROM totals_change
WHERE day NOT IN (SELECT day FROM daily_totals);

UPDATE daily_totals
SET
    models_observed = daily_totals.models_observed + totals_change.models_observed,
    downloads_gained = daily_totals.downloads_gained + totals_change.downloads_gained
FROM totals_change
WHERE daily_totals.day = totals_change.day;

DELETE FROM latest_counters
USING observed_gains
WHERE latest_counters.model_key = observed_gains.model_key;

INSERT INTO latest_counters
SELECT
    model_key,
    day,
    downloads_all_time,
    previous_downloads_all_time
FROM observed_gains;
