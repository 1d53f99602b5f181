-- Which libraries the models are built for.
WITH final AS (
    SELECT
        coalesce(library_name, '(none)') AS library,
        count(*) AS models,
        round(100.0 * count(*) / sum(count(*)) OVER (), 2) AS share_pct,
        sum(downloads)::BIGINT AS downloads_30d
    FROM stats_models
    GROUP BY ALL
)

SELECT * FROM final
ORDER BY models DESC, library
LIMIT $top
