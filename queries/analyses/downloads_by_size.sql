-- Where the downloads go by model size: models, 30-day and all-time downloads per size bucket, with
-- each bucket's share (of all models; `unknown` is the models whose size is not known).
WITH buckets AS (
    SELECT
        size_bucket,
        count(*) AS models,
        coalesce(sum(downloads), 0)::BIGINT AS downloads_30d,
        coalesce(sum(downloads_all_time), 0)::BIGINT AS downloads_all_time
    FROM stats_models
    GROUP BY size_bucket
),

final AS (
    SELECT
        size_bucket,
        models,
        downloads_30d,
        round(100.0 * downloads_30d / nullif(sum(downloads_30d) OVER (), 0), 2) AS share_30d_pct,
        downloads_all_time,
        round(100.0 * downloads_all_time / nullif(sum(downloads_all_time) OVER (), 0), 2) AS share_all_time_pct
    FROM buckets
)

SELECT * FROM final
ORDER BY list_position(['<100M', '100M-1B', '1B-3B', '3B-10B', '10B-30B', '30B-100B', '>100B', 'unknown'], size_bucket)
