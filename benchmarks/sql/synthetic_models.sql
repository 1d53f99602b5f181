-- $models models as the calibrated population draws their counters (tests/hub_standin/calibration.py,
-- profiles.HubLike._counters): all-time downloads from a log-normal head ($head_share of models,
-- median $head_median, sigma $head_sigma) and a tail ($tail_zero_share with none, else log-normal,
-- median $tail_median, sigma $tail_sigma); the 30-day figure 2-30 % of it; likes log-normal (head) or
-- Pareto; a trending score for 30 % of the head. Written straight into `models` (no crawl), with only
-- what the counters history reads. Ages (an assumption): 30 days plus an exponential of mean 800 days,
-- so that about a third of today's models are under a year old, as the Hub grew by about half
-- in 2025 (../shared/hub-figures.md, 2.1).
INSERT INTO models_stored (id, model_key, created_at, downloads, downloads_all_time, likes, trending_score, raw, first_seen,
                    last_seen)
WITH draws AS (
    SELECT
        i,
        (hash(i, 'u1') % 1000000 + 0.5) / 1e6 AS u1,
        (hash(i, 'u2') % 1000000 + 0.5) / 1e6 AS u2,
        (hash(i, 'u3') % 1000000 + 0.5) / 1e6 AS u3,
        (hash(i, 'u4') % 1000000 + 0.5) / 1e6 AS u4,
        (hash(i, 'u5') % 1000000 + 0.5) / 1e6 AS u5,
        (hash(i, 'u6') % 1000000 + 0.5) / 1e6 AS u6,
        (hash(i, 'u7') % 1000000 + 0.5) / 1e6 AS u7
    FROM range(1, $models + 1) AS t(i)
),

drawn AS (
    SELECT
        i,
        u3 < $head_share AS head,
        sqrt(-2 * ln(u1)) * cos(2 * pi() * u2) AS z,
        u4 < $tail_zero_share AS zero,
        30 + floor(-ln(u5) * 800) AS age_days,
        u6,
        u7
    FROM draws
),

counted AS (
    SELECT
        *,
        CAST(CASE
            WHEN head THEN exp(ln($head_median) + $head_sigma * z)
            WHEN zero THEN 0
            ELSE exp(ln($tail_median) + $tail_sigma * z)
        END AS BIGINT) AS all_time
    FROM drawn
)

SELECT
    'org' || (i % 60000) || '/model-' || i,
    i,
    CAST($now AS TIMESTAMP) - to_days(CAST(age_days AS INTEGER)),
    CAST(all_time * (0.02 + 0.28 * u6) AS BIGINT),
    all_time,
    CASE WHEN head THEN CAST(exp(ln(40) + 1.5 * z) AS BIGINT) ELSE CAST(floor(pow(u7, -1 / 2.5)) - 1 AS BIGINT) END,
    CASE WHEN head AND u7 < 0.3 THEN 1 + hash(i) % 200 ELSE 0 END,
    '{}',
    CAST($now AS TIMESTAMP),
    CAST($now AS TIMESTAMP)
FROM counted
ORDER BY i
