-- Models created per month and cumulatively. The legacy cohort (is_legacy_cohort, migration 008: the
-- placeholder createdAt of repos older than the field) is its own first row, never a March-2022 spike.
-- deleted: models the crawls saw disappear that month (known only since the first crawl).
WITH created AS (
    SELECT
        CASE WHEN is_legacy_cohort(created_at) THEN NULL
             ELSE date_trunc('month', created_at)::DATE END AS month,
        is_legacy_cohort(created_at) AS legacy,
        count(*) AS created
    FROM stats_models
    WHERE created_at IS NOT NULL
    GROUP BY ALL
),

deleted AS (
    SELECT
        date_trunc('month', deleted_at)::DATE AS month,
        count(*) AS deleted
    FROM models
    WHERE deleted_at IS NOT NULL
      AND deleted_at <= coalesce($as_of, now()::TIMESTAMP)
    GROUP BY ALL
),

final AS (
    SELECT
        CASE WHEN legacy THEN 'before 2022-03 (legacy)' ELSE strftime(month, '%Y-%m') END AS cohort,
        month,
        created,
        sum(created) OVER (ORDER BY legacy DESC, month ROWS UNBOUNDED PRECEDING)::BIGINT AS cumulative,
        coalesce(deleted.deleted, 0) AS deleted,
        created - coalesce(deleted.deleted, 0) AS net_growth
    FROM created
    LEFT JOIN deleted USING (month)
)

SELECT * FROM final
ORDER BY month NULLS FIRST
