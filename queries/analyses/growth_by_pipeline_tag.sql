-- Models created per year and task (legacy cohort apart), for the most common tasks.
WITH created AS (
    SELECT
        CASE WHEN is_legacy_cohort(created_at) THEN 'legacy'
             ELSE strftime(created_at, '%Y') END AS cohort,
        coalesce(pipeline_tag, '(none)') AS pipeline_tag,
        count(*) AS created
    FROM stats_models
    WHERE created_at IS NOT NULL
    GROUP BY ALL
),

top_tags AS (
    SELECT pipeline_tag
    FROM created
    GROUP BY pipeline_tag
    ORDER BY sum(created) DESC, pipeline_tag
    LIMIT $top
),

final AS (
    SELECT *
    FROM created
    WHERE pipeline_tag IN (SELECT pipeline_tag FROM top_tags)
)

SELECT * FROM final
ORDER BY cohort = 'legacy' DESC, cohort, created DESC, pipeline_tag
