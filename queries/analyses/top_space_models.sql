-- The models used by the most Spaces (a Space counts once per model), with their downloads.
WITH final AS (
    SELECT
        model,
        count(*) AS spaces,
        any_value(model_downloads) AS downloads_30d
    FROM space_model_usage
    GROUP BY model
)

SELECT * FROM final
ORDER BY spaces DESC, downloads_30d DESC NULLS LAST, model
LIMIT $top
