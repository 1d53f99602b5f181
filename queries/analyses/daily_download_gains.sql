-- From history: the ecosystem's downloads gained each crawled day (all-time downloads, day over day),
-- read from the rollup daily_totals that each crawl keeps (a model's gain: its all-time downloads
-- minus those of its previous crawled day).
-- Gap-aware: when crawls missed days, a day's gain spans them; the row says so (previous_day,
-- days_spanned, missing_days) and gained_per_day spreads it evenly, so a gap is never a one-day spike.
WITH crawled AS (
    SELECT
        day,
        lag(day) OVER (ORDER BY day) AS previous_day,
        models_observed,
        downloads_gained
    FROM daily_totals
    WHERE day <= coalesce($as_of, now()::TIMESTAMP)::DATE
),

final AS (
    SELECT
        day,
        models_observed,
        downloads_gained,
        previous_day,
        date_diff('day', previous_day, day) AS days_spanned,
        date_diff('day', previous_day, day) - 1 AS missing_days,
        round(downloads_gained / date_diff('day', previous_day, day), 1) AS gained_per_day
    FROM crawled
    WHERE models_observed > 0
)

SELECT * FROM final
ORDER BY day
