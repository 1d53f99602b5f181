-- Models created per year and license family (legacy cohort apart).
WITH final AS (
    SELECT
        CASE WHEN is_legacy_cohort(created_at) THEN 'legacy'
             ELSE strftime(created_at, '%Y') END AS cohort,
        license_family,
        count(*) AS created
    FROM stats_models
    WHERE created_at IS NOT NULL
    GROUP BY ALL
)

SELECT * FROM final
ORDER BY cohort = 'legacy' DESC, cohort, created DESC, license_family
