-- The Lorenz curve of all-time downloads: models sorted from the least to the most downloaded, cut
-- into 100 equal groups; for each, the share of models up to it and the share of downloads they hold.
-- A diagonal would be an equal ecosystem; the report draws it (and `long_tail` reads it as figures).
WITH known AS (
    SELECT
        downloads_all_time AS downloads,
        -- no tie-break: rows of equal downloads are interchangeable, so every group's count and sum are the same
        ntile(100) OVER (ORDER BY downloads_all_time) AS percentile
    FROM stats_models
    WHERE downloads_all_time IS NOT NULL
),

groups AS (
    SELECT
        percentile,
        count(*) AS models,
        sum(downloads) AS downloads
    FROM known
    GROUP BY percentile
),

final AS (
    SELECT
        percentile,
        round(100.0 * sum(models) OVER w / sum(models) OVER (), 2) AS models_pct,
        round(100.0 * sum(downloads) OVER w / nullif(sum(downloads) OVER (), 0), 2) AS downloads_pct
    FROM groups
    WINDOW w AS (ORDER BY percentile ROWS UNBOUNDED PRECEDING)
)

SELECT * FROM final
ORDER BY percentile
