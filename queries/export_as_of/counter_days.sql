-- The days counters were recorded, up to the day of the moment.
SELECT * FROM counter_days
WHERE day <= CAST($as_of AS DATE)
