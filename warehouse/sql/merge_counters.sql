-- A counters refresh patches only what moves without lastModified: the typed counters columns (and,
-- through record_daily_counters.sql, the daily counters). Not raw, which stays the record as the
-- last full-record listing returned it: patching it rewrote every touched row group's raw column at
-- each checkpoint, most of a refresh's cost (BENCHMARKS.md). Only repositories whose counters moved
-- are updated.
UPDATE {table}
SET {counter_set}
FROM latest AS s
WHERE {table}.object_id = s.object_id
  AND ({target_counters}) IS DISTINCT FROM ({source_counters});

-- A renamed repository takes its new id (record_renames.sql logged it), its owner (a transfer changes
-- it), and what the table derives from the id (a change: a new change_seq, migration 013). raw stays
-- the last full record, under the old id.
UPDATE {table}
SET {renamed_set}, change_seq = nextval('repo_changes')
FROM latest AS s
WHERE {table}.object_id = s.object_id
  AND {table}.id <> s.id;

-- Every listed repository was seen now (what deletions are judged by), and is back if it was gone.
UPDATE {table}
SET
    last_seen = s.last_seen,
    deleted_at = NULL
FROM latest AS s
WHERE {table}.object_id = s.object_id;
