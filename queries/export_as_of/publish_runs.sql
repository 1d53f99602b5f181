-- Publishes to the lake finished by the moment.
SELECT * FROM publish_runs
WHERE finished <= $as_of
