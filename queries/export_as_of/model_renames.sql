-- Renames seen by the moment.
SELECT * FROM model_renames
WHERE seen_at <= $as_of
