-- Datasets and their downloads per license family (the taxonomy models use: warehouse/license_map.csv),
-- with how many may be used commercially.
WITH final AS (
    SELECT
        license_family,
        count(*) AS datasets,
        round(100.0 * count(*) / sum(count(*)) OVER (), 2) AS share_pct,
        count(*) FILTER (WHERE commercial_use) AS commercial_use_allowed,
        sum(downloads)::BIGINT AS downloads_30d
    FROM stats_datasets
    GROUP BY license_family
)

SELECT * FROM final
ORDER BY datasets DESC, license_family
