-- A counters listing refreshes only what moves without lastModified: the counters, in the typed
-- columns and in raw (patched, so raw stays the latest thing the Hub said about each field).
-- Only models whose counters moved are rewritten: rewriting raw is what costs memory and disk.
UPDATE models
SET
    downloads = s.downloads,
    downloads_all_time = s.downloads_all_time,
    likes = s.likes,
    trending_score = s.trending_score,
    raw = json_merge_patch(models.raw, json_object(
        'downloads', s.raw -> '$.downloads',
        'downloadsAllTime', s.raw -> '$.downloadsAllTime',
        'likes', s.raw -> '$.likes',
        'trendingScore', s.raw -> '$.trendingScore'
    ))
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
