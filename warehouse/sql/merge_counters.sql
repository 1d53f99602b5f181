-- A counters listing refreshes only what moves without lastModified: the typed counters columns
-- (and, through record_daily_counters.sql, daily_counters). Not raw, which stays the record as the
-- last full-record listing returned it: patching it rewrote every touched row group's raw column at
-- each checkpoint, most of a refresh's cost (BENCHMARKS.md). Only models whose counters moved are updated.
UPDATE models
SET
    downloads = s.downloads,
    downloads_all_time = s.downloads_all_time,
    likes = s.likes,
    trending_score = s.trending_score
FROM latest AS s
WHERE models.object_id = s.object_id
  AND (models.downloads, models.downloads_all_time, models.likes, models.trending_score)
      IS DISTINCT FROM (s.downloads, s.downloads_all_time, s.likes, s.trending_score);

-- A renamed model takes its new id (record_renames.sql logged it), its owner (a transfer changes
-- it), and what models derives from the id. raw stays the last full record, under the old id.
UPDATE models
SET
    id = s.id,
    author = s.author,
    name_parameters = s.name_parameters
FROM latest AS s
WHERE models.object_id = s.object_id
  AND models.id <> s.id;

-- Every listed model was seen now (what deletions are judged by), and is back if it was gone.
UPDATE models
SET
    last_seen = s.last_seen,
    deleted_at = NULL
FROM latest AS s
WHERE models.object_id = s.object_id;
