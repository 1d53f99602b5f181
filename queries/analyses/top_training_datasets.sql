-- The datasets behind the most models: per dataset declared by the models in scope (each model once
-- per dataset), how many models and their downloads; whether the dataset is in the mirror (a
-- private, deleted or misspelled one is listed as declared), its license family and downloads.
WITH final AS (
    SELECT
        min(dataset) AS dataset,
        count(*) AS models,
        sum(model_downloads)::BIGINT AS models_downloads_30d,
        bool_or(in_mirror) AS in_mirror,
        any_value(dataset_license_family) AS license_family,
        any_value(dataset_downloads) AS dataset_downloads_30d
    FROM declared_training_data
    GROUP BY target
)

SELECT * FROM final
ORDER BY models DESC, models_downloads_30d DESC NULLS LAST, dataset
LIMIT $top
