-- One day of the dense counters views, read from the stored changes: `daily_counters_on(day)` gives
-- the rows `daily_counters` has for that day (`dataset_daily_counters_on`, `space_daily_counters_on`
-- likewise). A filter on the day cannot reach below the views' lead() over every change, so the view
-- windows them all: at 2.5M models and a year of history (205M changes), one day took 73-95 s
-- through the view and 9-10 s this way (BENCHMARKS.md, 2026-12-03, twelfth session). A filter on
-- the key reaches the table either way.
-- The rule is the views' (migration 012), for one day: a repository's latest change up to the day
-- is its row when the change is that day's; otherwise the row is carried to the day when a complete
-- listing observed the day and its span has not ended (at the next change's reappeared_after, the
-- day before the next change, or its last_seen). tests/test_sparse_counters.py checks every day
-- against the views' oracle.

CREATE MACRO daily_counters_on(on_day) AS TABLE
WITH latest AS (
    SELECT model_key, max(day) AS day
    FROM model_counter_changes
    WHERE day <= CAST(on_day AS DATE)
    GROUP BY model_key
),

following AS (
    SELECT model_key, min(day) AS next_day, first(reappeared_after ORDER BY day) AS next_reappeared_after
    FROM model_counter_changes
    WHERE day > CAST(on_day AS DATE)
    GROUP BY model_key
)

SELECT CAST(on_day AS DATE) AS day, c.model_key, c.downloads, c.downloads_all_time, c.likes, c.trending_score
FROM latest
JOIN model_counter_changes AS c USING (model_key, day)
LEFT JOIN models AS r USING (model_key)
LEFT JOIN following USING (model_key)
WHERE latest.day = CAST(on_day AS DATE)
   OR (CAST(on_day AS DATE) IN (SELECT day FROM counter_days WHERE repo_type = 'models' AND pass IN ('full', 'counters'))
       AND CAST(on_day AS DATE) <= coalesce(following.next_reappeared_after, following.next_day - 1,
                                            CAST(r.last_seen AS DATE)));

CREATE MACRO dataset_daily_counters_on(on_day) AS TABLE
WITH latest AS (
    SELECT dataset_key, max(day) AS day
    FROM dataset_counter_changes
    WHERE day <= CAST(on_day AS DATE)
    GROUP BY dataset_key
),

following AS (
    SELECT dataset_key, min(day) AS next_day, first(reappeared_after ORDER BY day) AS next_reappeared_after
    FROM dataset_counter_changes
    WHERE day > CAST(on_day AS DATE)
    GROUP BY dataset_key
)

SELECT CAST(on_day AS DATE) AS day, c.dataset_key, c.downloads, c.downloads_all_time, c.likes, c.trending_score
FROM latest
JOIN dataset_counter_changes AS c USING (dataset_key, day)
LEFT JOIN datasets AS r USING (dataset_key)
LEFT JOIN following USING (dataset_key)
WHERE latest.day = CAST(on_day AS DATE)
   OR (CAST(on_day AS DATE) IN (SELECT day FROM counter_days WHERE repo_type = 'datasets' AND pass IN ('full', 'counters'))
       AND CAST(on_day AS DATE) <= coalesce(following.next_reappeared_after, following.next_day - 1,
                                            CAST(r.last_seen AS DATE)));

CREATE MACRO space_daily_counters_on(on_day) AS TABLE
WITH latest AS (
    SELECT space_key, max(day) AS day
    FROM space_counter_changes
    WHERE day <= CAST(on_day AS DATE)
    GROUP BY space_key
),

following AS (
    SELECT space_key, min(day) AS next_day, first(reappeared_after ORDER BY day) AS next_reappeared_after
    FROM space_counter_changes
    WHERE day > CAST(on_day AS DATE)
    GROUP BY space_key
)

SELECT CAST(on_day AS DATE) AS day, c.space_key, c.likes, c.trending_score
FROM latest
JOIN space_counter_changes AS c USING (space_key, day)
LEFT JOIN spaces AS r USING (space_key)
LEFT JOIN following USING (space_key)
WHERE latest.day = CAST(on_day AS DATE)
   OR (CAST(on_day AS DATE) IN (SELECT day FROM counter_days WHERE repo_type = 'spaces' AND pass IN ('full', 'counters'))
       AND CAST(on_day AS DATE) <= coalesce(following.next_reappeared_after, following.next_day - 1,
                                            CAST(r.last_seen AS DATE)));
