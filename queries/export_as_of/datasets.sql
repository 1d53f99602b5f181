-- `datasets` as of the moment: the datasets listed then, with the metadata and counters they had (datasets_as_of, migration 015).
SELECT * FROM datasets_as_of($as_of)
