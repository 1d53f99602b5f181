-- The window fastest_risers.sql measures: the last crawled day of models (as of $as_of) and the
-- $window_days - 1 days before it.
SELECT
    max(day) - ($window_days - 1) AS first_day,
    max(day) AS last_day
FROM counter_days
WHERE repo_type = 'models'
  AND day <= coalesce($as_of, now()::TIMESTAMP)::DATE
