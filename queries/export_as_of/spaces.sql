-- `spaces` as of the moment: the spaces listed then, with the metadata and counters they had (spaces_as_of, migration 015).
SELECT * FROM spaces_as_of($as_of)
