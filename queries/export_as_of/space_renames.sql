-- Renames seen by the moment.
SELECT * FROM space_renames
WHERE seen_at <= $as_of
