-- From history: models that gained the most all-time downloads over the last 7 crawled days.
-- A model's gain runs from its first to its last day in the window. Most models were listed on both
-- ends of it: their two values come from those two days alone; only the others (new in the window,
-- or gone before its end) are aggregated over all their days (arg_min/arg_max over every model's
-- eight days took 2 s at 2.5M models).
WITH bounds AS (
    SELECT max(day) AS last_day
    FROM daily_counters
    WHERE day <= coalesce($as_of, now()::TIMESTAMP)::DATE
),

both_ends AS MATERIALIZED (
    SELECT
        model_key,
        first_day.downloads_all_time AS first_total,
        last_day.downloads_all_time AS last_total,
        first_day.day AS since
    FROM daily_counters AS first_day
    JOIN daily_counters AS last_day USING (model_key)
    JOIN bounds ON first_day.day = bounds.last_day - 7 AND last_day.day = bounds.last_day
),

one_end AS (
    SELECT
        model_key,
        arg_min(downloads_all_time, day) AS first_total,
        arg_max(downloads_all_time, day) AS last_total,
        min(day) AS since
    FROM daily_counters, bounds
    WHERE day BETWEEN last_day - 7 AND last_day
      AND model_key NOT IN (SELECT model_key FROM both_ends)
    GROUP BY model_key
),

gains AS MATERIALIZED (
    SELECT
        model_key,
        since,
        (last_total - first_total)::BIGINT AS downloads_gained,
        last_total AS downloads_all_time
    FROM (SELECT * FROM both_ends UNION ALL SELECT * FROM one_end)
    WHERE last_total > first_total
),

-- Only the gains that can make the top $top (ties included) are joined to their ids.
contenders AS (
    SELECT *
    FROM gains
    WHERE downloads_gained >= (
        SELECT min(downloads_gained)
        FROM (SELECT downloads_gained FROM gains ORDER BY downloads_gained DESC LIMIT $top)
    )
),

final AS (
    SELECT
        m.id,
        c.since,
        c.downloads_gained,
        c.downloads_all_time
    FROM contenders AS c
    JOIN models AS m USING (model_key)
)

SELECT * FROM final
ORDER BY downloads_gained DESC, id
LIMIT $top
