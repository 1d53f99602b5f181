-- How open the ecosystem really is: models and downloads per license family (taxonomy:
-- warehouse/license_map.csv), with how many may be used commercially.
WITH final AS (
    SELECT
        license_family,
        count(*) AS models,
        round(100.0 * count(*) / sum(count(*)) OVER (), 2) AS share_pct,
        count(*) FILTER (WHERE commercial_use) AS commercial_use_allowed,
        count(*) FILTER (WHERE osi_approved) AS osi_approved,
        sum(downloads)::BIGINT AS downloads_30d
    FROM stats_models
    GROUP BY license_family
)

SELECT * FROM final
ORDER BY models DESC, license_family
