-- Which tasks the models are for.
WITH final AS (
    SELECT
        coalesce(pipeline_tag, '(none)') AS pipeline_tag,
        count(*) AS models,
        round(100.0 * count(*) / sum(count(*)) OVER (), 2) AS share_pct,
        sum(downloads)::BIGINT AS downloads_30d
    FROM stats_models
    GROUP BY ALL
)

SELECT * FROM final
ORDER BY models DESC, pipeline_tag
LIMIT $top
