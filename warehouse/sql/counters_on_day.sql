-- One day of {counters_table}, read from {changes_table}: migration 019 says why, and the rule.
CREATE MACRO {counters_table}_on(on_day) AS TABLE
WITH latest AS (
    SELECT {key}, max(day) AS day
    FROM {changes_table}
    WHERE day <= CAST(on_day AS DATE)
    GROUP BY {key}
),

following AS (
    SELECT {key}, min(day) AS next_day, first(reappeared_after ORDER BY day) AS next_reappeared_after
    FROM {changes_table}
    WHERE day > CAST(on_day AS DATE)
    GROUP BY {key}
)

SELECT CAST(on_day AS DATE) AS day, s.{key}, {counters_s}
FROM latest
JOIN {changes_table} AS s USING ({key}, day)
LEFT JOIN {repo_type} AS r USING ({key})
LEFT JOIN following USING ({key})
WHERE latest.day = CAST(on_day AS DATE)
   OR (CAST(on_day AS DATE) IN (SELECT day FROM counter_days WHERE repo_type = '{repo_type}' AND pass IN ('full', 'counters'))
       AND CAST(on_day AS DATE) <= coalesce(following.next_reappeared_after, following.next_day - 1,
                                            CAST(r.last_seen AS DATE)));
