-- Rows keyed by {key} that the merge changed since the last publish ({touched}: their change_seq is
-- past the one it published through, or their repository's), with their hashes: all of them are
-- written again, and no published hash is read. The warehouse deletes no repository, so none is
-- doomed but these (apply_by_repository.sql also deletes the rows a changed repository dropped).
CREATE OR REPLACE TEMP TABLE lake_changed AS
SELECT {key}, hash({columns}) AS row_hash
FROM {source} AS source
WHERE {touched};

CREATE OR REPLACE TEMP TABLE lake_doomed AS
SELECT {key} FROM lake_changed;
