-- Upsert a chunk's repositories into the current state; first_seen survives, a returning one is undeleted.
-- Matched by _id (a renamed repository keeps its row; record_renames.sql logs the rename first).
-- {update_set} is every column of {table} but its key, first_seen and change_seq (warehouse/merge.py);
-- change_seq moves only when {changed}: a column but the counters, last_seen and deleted_at differs.
-- For a chunk of repositories the warehouse has none of, insert_repos.sql does the same for less.
MERGE INTO {table} AS m
USING latest AS s
ON m.object_id = s.object_id
WHEN MATCHED THEN UPDATE SET {update_set},
    change_seq = CASE WHEN {changed} THEN nextval('repo_changes') ELSE m.change_seq END
WHEN NOT MATCHED THEN INSERT BY NAME
