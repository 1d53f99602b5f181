-- Upsert a chunk's repositories into the current state; first_seen survives, a returning one is undeleted.
-- Matched by _id (a renamed repository keeps its row; record_renames.sql logs the rename first).
-- {update_set} is every column of {table} but its key and first_seen (warehouse/merge.py).
-- For a chunk of repositories the warehouse has none of, insert_repos.sql does the same for less.
MERGE INTO {table} AS m
USING latest AS s
ON m.object_id = s.object_id
WHEN MATCHED THEN UPDATE SET {update_set}
WHEN NOT MATCHED THEN INSERT BY NAME
