-- From history: the ecosystem's downloads gained each crawled day (all-time downloads, day over day).
WITH per_model AS (
    SELECT
        day,
        downloads_all_time - lag(downloads_all_time) OVER (PARTITION BY model_key ORDER BY day) AS gained
    FROM daily_counters
    WHERE day <= coalesce($as_of, now()::TIMESTAMP)::DATE
),

final AS (
    SELECT
        day,
        count(gained) AS models_observed,
        sum(gained)::BIGINT AS downloads_gained
    FROM per_model
    GROUP BY day
    HAVING count(gained) > 0
)

SELECT * FROM final
ORDER BY day
