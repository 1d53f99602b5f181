-- The most downloaded cases of training_data_conflicts.sql: one row per model and dataset in conflict.
WITH final AS (
    SELECT
        model,
        model_license,
        model_downloads AS model_downloads_30d,
        dataset,
        dataset_license,
        dataset_license_family
    FROM declared_training_data
    WHERE in_mirror
      AND model_commercial_use
      AND NOT dataset_commercial_use
)

SELECT * FROM final
ORDER BY model_downloads_30d DESC NULLS LAST, model, dataset
LIMIT $top
