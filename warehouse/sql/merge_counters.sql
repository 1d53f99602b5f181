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
WHERE models.id = s.id
  AND (models.downloads, models.downloads_all_time, models.likes, models.trending_score)
      IS DISTINCT FROM (s.downloads, s.downloads_all_time, s.likes, s.trending_score);

-- Every listed model was seen now (what deletions are judged by), and is back if it was gone.
UPDATE models
SET
    last_seen = s.last_seen,
    deleted_at = NULL
FROM latest AS s
WHERE models.id = s.id;
