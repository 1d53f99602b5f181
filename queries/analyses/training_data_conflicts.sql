-- Models released for commercial use that declare training data whose license forbids it: among the
-- models declaring at least one dataset in the mirror, those whose license allows commercial use
-- (commercial_use true) declaring a dataset whose license does not (false, e.g. non-commercial).
-- An unknown license on either side (NULL) is no conflict.
WITH per_model AS (
    SELECT
        model,
        any_value(model_downloads) AS model_downloads,
        bool_or(model_commercial_use AND NOT dataset_commercial_use) AS in_conflict
    FROM declared_training_data
    WHERE in_mirror
    GROUP BY model
),

final AS (
    SELECT
        count(*) AS models_declaring_datasets,
        count(*) FILTER (WHERE in_conflict) AS models_in_conflict,
        round(100.0 * count(*) FILTER (WHERE in_conflict) / nullif(count(*), 0), 2) AS share_pct,
        coalesce(sum(model_downloads) FILTER (WHERE in_conflict), 0)::BIGINT AS conflict_downloads_30d,
        (
            SELECT count(DISTINCT target)
            FROM declared_training_data
            WHERE in_mirror AND model_commercial_use AND NOT dataset_commercial_use
        ) AS datasets_in_conflict
    FROM per_model
)

SELECT * FROM final
