-- Are new open models getting smaller? For the models created each month (the legacy cohort as its
-- own first row), the share of each size bucket and the median parameter count of those whose size
-- is known (safetensors, gguf, else the name: models_enriched.parameters).
WITH cohorts AS (
    SELECT
        CASE WHEN is_legacy_cohort(created_at) THEN NULL
             ELSE date_trunc('month', created_at)::DATE END AS month,
        is_legacy_cohort(created_at) AS legacy,
        size_bucket,
        parameters
    FROM stats_models
    WHERE created_at IS NOT NULL
),

final AS (
    SELECT
        CASE WHEN legacy THEN 'before 2022-03 (legacy)' ELSE strftime(month, '%Y-%m') END AS cohort,
        month,
        count(*) AS models,
        count(parameters) AS sized,
        median(parameters)::BIGINT AS median_parameters,
        round(100.0 * count(*) FILTER (WHERE size_bucket = '<100M') / count(*), 2) AS "<100M",
        round(100.0 * count(*) FILTER (WHERE size_bucket = '100M-1B') / count(*), 2) AS "100M-1B",
        round(100.0 * count(*) FILTER (WHERE size_bucket = '1B-3B') / count(*), 2) AS "1B-3B",
        round(100.0 * count(*) FILTER (WHERE size_bucket = '3B-10B') / count(*), 2) AS "3B-10B",
        round(100.0 * count(*) FILTER (WHERE size_bucket = '10B-30B') / count(*), 2) AS "10B-30B",
        round(100.0 * count(*) FILTER (WHERE size_bucket = '30B-100B') / count(*), 2) AS "30B-100B",
        round(100.0 * count(*) FILTER (WHERE size_bucket = '>100B') / count(*), 2) AS ">100B",
        round(100.0 * count(*) FILTER (WHERE size_bucket = 'unknown') / count(*), 2) AS unknown
    FROM cohorts
    GROUP BY legacy, month
)

SELECT * EXCLUDE (month) FROM final
ORDER BY month NULLS FIRST
