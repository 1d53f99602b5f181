-- How much of the model ecosystem apps use: the share of models in scope used by at least one Space,
-- and the Spaces that declare at least one model of the mirror.
WITH counted AS (
    SELECT
        (SELECT count(*) FROM stats_models) AS models,
        (SELECT count(DISTINCT model) FROM space_model_usage) AS models_used_by_spaces,
        (SELECT count(*) FROM stats_spaces) AS spaces,
        (SELECT count(DISTINCT space) FROM space_model_usage) AS spaces_using_models
),

final AS (
    SELECT
        models,
        models_used_by_spaces,
        round(100.0 * models_used_by_spaces / nullif(models, 0), 2) AS share_pct,
        spaces,
        spaces_using_models
    FROM counted
)

SELECT * FROM final
