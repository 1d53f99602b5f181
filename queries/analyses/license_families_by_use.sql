-- Licences weighted by use: each licence family's share of models, of 30-day and of all-time downloads
-- (a family can hold few models and most of the downloads).
WITH families AS (
    SELECT
        license_family,
        count(*) AS models,
        coalesce(sum(downloads), 0)::BIGINT AS downloads_30d,
        coalesce(sum(downloads_all_time), 0)::BIGINT AS downloads_all_time
    FROM stats_models
    GROUP BY license_family
),

final AS (
    SELECT
        license_family,
        models,
        round(100.0 * models / sum(models) OVER (), 2) AS models_pct,
        downloads_30d,
        round(100.0 * downloads_30d / nullif(sum(downloads_30d) OVER (), 0), 2) AS downloads_30d_pct,
        downloads_all_time,
        round(100.0 * downloads_all_time / nullif(sum(downloads_all_time) OVER (), 0), 2) AS downloads_all_time_pct
    FROM families
)

SELECT * FROM final
ORDER BY downloads_all_time DESC, models DESC, license_family
