-- Counters observed up to the day of the moment.
SELECT * FROM dataset_daily_counters
WHERE day <= CAST($as_of AS DATE)
