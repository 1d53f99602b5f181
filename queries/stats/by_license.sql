-- Licenses as the Hub gives them (cardData.license, else the license: tag).
WITH final AS (
    SELECT
        coalesce(license, '(none)') AS license,
        count(*) AS models,
        round(100.0 * count(*) / sum(count(*)) OVER (), 2) AS share_pct,
        sum(downloads)::BIGINT AS downloads_30d
    FROM stats_models
    GROUP BY ALL
)

SELECT * FROM final
ORDER BY models DESC, license
LIMIT $top
