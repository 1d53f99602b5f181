-- Datasets and their downloads per task category and per modality (the `task_categories:` and
-- `modality:` tags): a dataset with several counts once under each; one with none under '(none)'.
-- The $top values of each dimension, most datasets first.
WITH tagged AS (
    SELECT 'task_category' AS dimension, unnest(coalesce(nullif(list_distinct(task_categories), []), ['(none)'])) AS value, downloads
    FROM stats_datasets
    UNION ALL
    SELECT 'modality', unnest(coalesce(nullif(list_distinct(modalities), []), ['(none)'])), downloads
    FROM stats_datasets
),

counted AS (
    SELECT
        dimension,
        value,
        count(*) AS datasets,
        round(100.0 * count(*) / (SELECT count(*) FROM stats_datasets), 2) AS share_pct,
        sum(downloads)::BIGINT AS downloads_30d
    FROM tagged
    GROUP BY ALL
),

final AS (
    SELECT *
    FROM counted
    QUALIFY row_number() OVER (PARTITION BY dimension ORDER BY datasets DESC, value) <= $top
)

SELECT * FROM final
ORDER BY dimension DESC, datasets DESC, value
