-- How big the models are, by parameter count (from safetensors, else gguf).
WITH bucketed AS (
    SELECT
        CASE
            WHEN parameters IS NULL THEN 'unknown'
            WHEN parameters < 100e6 THEN '<100M'
            WHEN parameters < 1e9 THEN '100M-1B'
            WHEN parameters < 3e9 THEN '1B-3B'
            WHEN parameters < 10e9 THEN '3B-10B'
            WHEN parameters < 30e9 THEN '10B-30B'
            WHEN parameters < 100e9 THEN '30B-100B'
            ELSE '>100B'
        END AS size_bucket,
        CASE
            WHEN parameters IS NULL THEN 8
            WHEN parameters < 100e6 THEN 1
            WHEN parameters < 1e9 THEN 2
            WHEN parameters < 3e9 THEN 3
            WHEN parameters < 10e9 THEN 4
            WHEN parameters < 30e9 THEN 5
            WHEN parameters < 100e9 THEN 6
            ELSE 7
        END AS bucket_order,
        downloads
    FROM stats_models
),

final AS (
    SELECT
        size_bucket,
        count(*) AS models,
        round(100.0 * count(*) / sum(count(*)) OVER (), 2) AS share_pct,
        sum(downloads)::BIGINT AS downloads_30d
    FROM bucketed
    GROUP BY size_bucket, bucket_order
    ORDER BY bucket_order
)

SELECT * FROM final
