-- `models` as of the moment: the models listed then, with the metadata and counters they had (history).
SELECT * FROM models_as_of($as_of)
