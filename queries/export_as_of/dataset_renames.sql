-- Renames seen by the moment.
SELECT * FROM dataset_renames
WHERE seen_at <= $as_of
