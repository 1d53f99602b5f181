-- Records the temp table `observed` (day, key, counters: one row per repository, listed by a $pass
-- crawl) in the counters history, which stores what changes only ({changes_table}); the view
-- {counters_table} (migration 012) gives back the dense relation: one row per repository and day a
-- crawl observed it, a later crawl the same day replacing that day's counters.
-- The view carries a repository's row forward over the days a complete listing (full, counters)
-- observed its kind, up to its latest observed day. So a row is stored when the repository is first
-- seen, when its counters differ from its previous observation, on a day no complete listing has
-- observed (an incremental listing sees only edited repositories), and after complete listings went
-- by without it (it was deleted and came back, or a listing ran past midnight): `reappeared_after`
-- then ends what the row before covers.
-- Models and datasets keep each row's downloads_gained since the row before (a same-day replacement:
-- since the row before that day).
-- Counters are recorded in day order: an observation older than a repository's latest observed day
-- leaves the history alone (as it leaves the rollups: apply_counter_rollups.sql).

INSERT INTO counter_days
SELECT DISTINCT '{repo_type}' AS repo_type, day, $pass AS pass
FROM observed
WHERE NOT EXISTS (
    SELECT 1
    FROM counter_days AS known
    WHERE known.repo_type = '{repo_type}'
      AND known.day = observed.day
      AND known.pass = $pass
);

CREATE OR REPLACE TEMP TABLE observed_changes AS
WITH complete_days AS (
    SELECT DISTINCT day
    FROM counter_days
    WHERE repo_type = '{repo_type}'
      AND pass IN ('full', 'counters')
),

compared AS (
    SELECT
        o.*,
        s.day AS previous_day,
        {previous_total} AS previous_total,
        ({counters_o}) IS DISTINCT FROM ({counters_s}) AS changed,
        o.day IN (SELECT day FROM complete_days) AS complete_day
    FROM observed AS o
    LEFT JOIN {last_counters_table} AS s USING ({key})
),

-- The first complete day after each previous day: few distinct values, so no range join per row.
next_complete AS (
    SELECT
        previous.previous_day,
        min(complete_days.day) AS next_complete_day
    FROM (SELECT DISTINCT previous_day FROM compared WHERE previous_day IS NOT NULL) AS previous
    JOIN complete_days ON complete_days.day > previous.previous_day
    GROUP BY previous.previous_day
),

judged AS (
    SELECT
        compared.*,
        coalesce(next_complete.next_complete_day < compared.day, false) AS missed
    FROM compared
    LEFT JOIN next_complete USING (previous_day)
)

SELECT
    day,
    {key},
    {counter_columns},
    CASE WHEN missed THEN previous_day END AS reappeared_after,
    previous_day = day AS same_day,
    previous_total
FROM judged
WHERE previous_day IS NULL
   OR (previous_day < day AND (missed OR changed OR NOT complete_day))
   OR (previous_day = day AND changed);

-- A later crawl the same day replaces that day's row (keeping what it said of a gap before it).
CREATE OR REPLACE TEMP TABLE replaced_changes AS
SELECT
    c.day,
    c.{key},
    c.reappeared_after{replaced_previous_total}
FROM {changes_table} AS c
JOIN observed_changes AS o
    ON c.day = o.day
   AND c.{key} = o.{key}
WHERE c.day >= $first_day
  AND o.same_day;

DELETE FROM {changes_table}
USING replaced_changes AS r
WHERE {changes_table}.day >= $first_day
  AND {changes_table}.day = r.day
  AND {changes_table}.{key} = r.{key};

INSERT INTO {changes_table}
SELECT
    o.day,
    o.{key},
    {counters_o}{gained_value},
    coalesce(o.reappeared_after, r.reappeared_after) AS reappeared_after
FROM observed_changes AS o
LEFT JOIN replaced_changes AS r USING (day, {key})
ORDER BY o.day, o.{key};

DELETE FROM {last_counters_table}
USING observed
WHERE {last_counters_table}.{key} = observed.{key}
  AND {last_counters_table}.day <= observed.day;

INSERT INTO {last_counters_table}
SELECT
    o.{key},
    o.day,
    {counters_o}
FROM observed AS o
ANTI JOIN {last_counters_table} AS s USING ({key})
ORDER BY o.{key};
