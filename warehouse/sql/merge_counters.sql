-- A counters listing refreshes only what moves without lastModified: the counters, in the typed
-- columns and in raw (patched, so raw stays the latest thing the Hub said about each field).
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
    )),
    last_seen = s.last_seen,
    deleted_at = NULL
FROM latest AS s
WHERE models.id = s.id
