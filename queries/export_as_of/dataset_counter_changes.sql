-- Counters changes stored up to the day of the moment.
SELECT * FROM dataset_counter_changes
WHERE day <= CAST($as_of AS DATE)
