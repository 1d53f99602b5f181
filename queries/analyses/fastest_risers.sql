-- From history: models that gained the most all-time downloads over the last 7 crawled days.
WITH bounds AS (
    SELECT max(day) AS last_day
    FROM daily_counters
    WHERE day <= coalesce($as_of, now()::TIMESTAMP)::DATE
),

window_counters AS (
    SELECT
        model_key,
        arg_min(downloads_all_time, day) AS first_total,
        arg_max(downloads_all_time, day) AS last_total,
        min(day) AS since
    FROM daily_counters, bounds
    WHERE day BETWEEN last_day - 7 AND last_day
    GROUP BY model_key
),

final AS (
    SELECT
        m.id,
        w.since,
        (w.last_total - w.first_total)::BIGINT AS downloads_gained,
        w.last_total AS downloads_all_time
    FROM window_counters AS w
    JOIN models AS m USING (model_key)
    WHERE w.last_total > w.first_total
)

SELECT * FROM final
ORDER BY downloads_gained DESC, id
LIMIT $top
