-- {counters_table}: a row per {repo_type} repository and day, read from {changes_table}
-- (migration 020 says why this form; the rule is migration 012's). A change is its day's row; it is
-- carried to each later day a complete listing observed, while its span lasts: up to the next
-- change's reappeared_after, the day before the next change, or the day it was last seen.
CREATE OR REPLACE VIEW {counters_table} AS
WITH spans AS (
    SELECT
        *,
        lead(day) OVER by_key AS next_day,
        lead(reappeared_after) OVER by_key AS next_reappeared_after
    FROM {changes_table}
    WINDOW by_key AS (PARTITION BY {key} ORDER BY day)
),

complete_days AS (
    SELECT DISTINCT day
    FROM counter_days
    WHERE repo_type = '{repo_type}'
      AND pass IN ('full', 'counters')
),

ends AS (
    SELECT
        s.*,
        coalesce(s.next_reappeared_after, s.next_day - 1, CAST(r.last_seen AS DATE)) AS span_end
    FROM spans AS s
    JOIN {repo_type} AS r USING ({key})
),

-- Each day a span covers after its change, listed rather than joined by a range (migration 020).
carried AS (
    SELECT
        day + CAST(unnest(range(1, span_end - day + 1)) AS INTEGER) AS day,
        {key},
        {counter_columns}
    FROM ends
)

SELECT day, {key}, {counter_columns}
FROM spans
UNION ALL
SELECT day, {key}, {counter_columns}
FROM carried
WHERE day IN (SELECT day FROM complete_days);
