-- Models created per year and library (legacy cohort apart), for the libraries that matter most.
WITH created AS (
    SELECT
        CASE WHEN is_legacy_cohort(created_at) THEN 'legacy'
             ELSE strftime(created_at, '%Y') END AS cohort,
        coalesce(library_name, '(none)') AS library,
        count(*) AS created
    FROM stats_models
    WHERE created_at IS NOT NULL
    GROUP BY ALL
),

top_libraries AS (
    SELECT library
    FROM created
    GROUP BY library
    ORDER BY sum(created) DESC, library
    LIMIT $top
),

final AS (
    SELECT *
    FROM created
    WHERE library IN (SELECT library FROM top_libraries)
)

SELECT * FROM final
ORDER BY cohort = 'legacy' DESC, cohort, created DESC, library
