-- Authors (users and organisations) by the repositories they own: models, datasets and Spaces in
-- scope, ranked by all three together; with their models' and datasets' downloads.
WITH models_by_author AS (
    SELECT coalesce(author, '(unknown)') AS author, count(*) AS models, sum(downloads)::BIGINT AS model_downloads_30d
    FROM stats_models
    GROUP BY ALL
),

datasets_by_author AS (
    SELECT coalesce(author, '(unknown)') AS author, count(*) AS datasets, sum(downloads)::BIGINT AS dataset_downloads_30d
    FROM stats_datasets
    GROUP BY ALL
),

spaces_by_author AS (
    SELECT coalesce(author, '(unknown)') AS author, count(*) AS spaces
    FROM stats_spaces
    GROUP BY ALL
),

final AS (
    SELECT
        author,
        coalesce(models, 0) AS models,
        coalesce(datasets, 0) AS datasets,
        coalesce(spaces, 0) AS spaces,
        coalesce(models, 0) + coalesce(datasets, 0) + coalesce(spaces, 0) AS repositories,
        coalesce(model_downloads_30d, 0) AS model_downloads_30d,
        coalesce(dataset_downloads_30d, 0) AS dataset_downloads_30d
    FROM models_by_author
    FULL JOIN datasets_by_author USING (author)
    FULL JOIN spaces_by_author USING (author)
)

SELECT * FROM final
ORDER BY repositories DESC, model_downloads_30d + dataset_downloads_30d DESC, author
LIMIT $top
