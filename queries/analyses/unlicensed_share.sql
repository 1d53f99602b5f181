-- How many models declare no licence at all (family `none`): among all models, and among those used
-- (more than 1,000 all-time downloads, as the published figure counts them).
WITH final AS (
    SELECT
        count(*) AS models,
        count(*) FILTER (WHERE license_family = 'none') AS unlicensed,
        round(100.0 * count(*) FILTER (WHERE license_family = 'none') / nullif(count(*), 0), 2) AS unlicensed_pct,
        count(*) FILTER (WHERE downloads_all_time > 1000) AS models_over_1000_downloads,
        count(*) FILTER (WHERE downloads_all_time > 1000 AND license_family = 'none') AS unlicensed_over_1000_downloads,
        round(
            100.0 * count(*) FILTER (WHERE downloads_all_time > 1000 AND license_family = 'none')
            / nullif(count(*) FILTER (WHERE downloads_all_time > 1000), 0),
            2
        ) AS unlicensed_over_1000_downloads_pct
    FROM stats_models
)

SELECT * FROM final
