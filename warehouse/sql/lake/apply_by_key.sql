-- Replace the changed rows (lake_changed, lake_doomed from changed_by_key.sql or touched_by_key.sql)
-- and their hashes (the first statement first: warehouse/lake_sync.py takes its count as the rows
-- deleted). The warehouse is read where {touched}, so that a nightly publish fetches the
-- wide columns of the changed rows only.
MERGE INTO {target} AS t USING lake_doomed AS d ON {key_match} WHEN MATCHED THEN DELETE;

MERGE INTO {hashes} AS t USING lake_doomed AS d ON {key_match} WHEN MATCHED THEN DELETE;

INSERT INTO {target}
SELECT {columns}
FROM {source} AS source
SEMI JOIN lake_changed USING ({key})
WHERE {touched};

INSERT INTO {hashes}
SELECT {key}, row_hash FROM lake_changed;
