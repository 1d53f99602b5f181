-- The ecosystem's downloads gained per crawled day, kept as a rollup: the window over every
-- (model, day) row of daily_counters took seconds at 200k models and a year of history. Written by
-- each merge chunk (warehouse/sql/apply_observed_counters.sql), backfilled here from the history.

-- Each model's latest recorded day, with its all-time downloads that day and on its crawled day
-- before: what a new observation's gain is measured against (or, the same day, replaces).
CREATE TABLE latest_counters (
    model_key                   INTEGER NOT NULL,
    day                         DATE NOT NULL,
    downloads_all_time          BIGINT,
    previous_downloads_all_time BIGINT  -- NULL when no earlier day was recorded (or it had no value)
);

-- One row per crawled day: models_observed counts the models with a gain that day (seen on an
-- earlier day too, both values known), downloads_gained sums the gains.
CREATE TABLE daily_totals (
    day              DATE NOT NULL,
    models_observed  BIGINT NOT NULL,
    downloads_gained BIGINT NOT NULL
);

INSERT INTO latest_counters
SELECT
    model_key,
    arg_max(day, day) AS day,
    arg_max(downloads_all_time, day) AS downloads_all_time,
    arg_max(previous_downloads_all_time, day) AS previous_downloads_all_time
FROM (
    SELECT
        model_key,
        day,
        downloads_all_time,
        lag(downloads_all_time) OVER (PARTITION BY model_key ORDER BY day) AS previous_downloads_all_time
    FROM daily_counters
)
GROUP BY model_key;

INSERT INTO daily_totals
SELECT
    day,
    count(gained) AS models_observed,
    coalesce(sum(gained), 0)::BIGINT AS downloads_gained
FROM (
    SELECT
        day,
        downloads_all_time - lag(downloads_all_time) OVER (PARTITION BY model_key ORDER BY day) AS gained
    FROM daily_counters
)
GROUP BY day
ORDER BY day;
