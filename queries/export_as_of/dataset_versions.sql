-- Versions begun by the moment; a version still valid then is open (valid_to NULL), as it was at that moment.
SELECT * REPLACE (CASE WHEN valid_to <= $as_of THEN valid_to END AS valid_to)
FROM dataset_versions
WHERE valid_from <= $as_of
