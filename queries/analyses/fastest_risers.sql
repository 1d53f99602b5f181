-- From history: models that gained the most all-time downloads over the last 8 crawled days.
-- A model's gain runs from its first to its last day in the window (of daily_counters: a model on
-- both ends of it is measured between those two days' values; any other, between its first and last
-- known values in it). Read from the stored changes, not the dense view: only a model with a change
-- stored after the window's first day can have gained, and for those the view's rows in the window
-- are their stored rows there plus, on the complete days before the first, the row stored before the
-- window (migration 012 says how the view carries rows forward). A model's first stored row is on the
-- day of its first_seen, its last observed day that of its last_seen.
-- Exact, for few models: a model stores at most a row a day, so its gain over the 8-day window is at
-- most 8 times its largest stored gain there. A model whose rows there all gained less than
-- $min_row_gain cannot beat a gain of 8 times it, and is left out. queries/stats.py runs this twice:
-- first with $min_row_gain NULL (the $seed_rows-th largest row gain in the window), whose top gives
-- a lower bound for the true top; then with an eighth of that bound, for the exact top. A row with no
-- gain (a model's first row, or one after unknown counters) always keeps its model in.
-- The window, $first_day to $last_day, comes as constants (fastest_risers_window.sql) so that each
-- scan of the changes reads the window's row groups only, not a year of history.
WITH bounds AS (
    SELECT
        CAST($first_day AS DATE) AS first_day,
        CAST($last_day AS DATE) AS last_day
),

complete_days AS (
    SELECT
        min(c.day) AS first_complete,
        bool_or(c.day = b.last_day) AS last_complete
    FROM counter_days AS c, bounds AS b
    WHERE c.repo_type = 'models'
      AND c.pass IN ('full', 'counters')
      AND c.day BETWEEN $first_day AND $last_day
),

-- The $seed_rows-th largest row gain, by an aggregate: as ORDER BY ... LIMIT, DuckDB fetched the
-- rows it picked by rowid, scanning every row of the history (at 2.5M models x 365 days the section
-- took 1.27 s, 0.14 s since).
seed AS (
    SELECT coalesce($min_row_gain, (
        SELECT CASE WHEN len(largest) = $seed_rows THEN list_last(largest) END
        FROM (
            SELECT max(c.downloads_gained, $seed_rows) AS largest
            FROM model_counter_changes AS c
            WHERE c.day BETWEEN $first_day AND $last_day
              AND c.downloads_gained IS NOT NULL
        )
    ), '-infinity'::DOUBLE) AS min_row_gain
),

considered AS (
    SELECT DISTINCT c.model_key
    FROM model_counter_changes AS c, seed AS s
    WHERE c.day BETWEEN $first_day AND $last_day
      AND (c.downloads_gained IS NULL OR c.downloads_gained >= s.min_row_gain)
),

in_window AS MATERIALIZED (
    SELECT
        c.model_key,
        min(c.day) AS first_stored,
        arg_min_null(c.reappeared_after, c.day) AS first_reappeared_after,
        arg_min_null(c.downloads_all_time, c.day) AS first_stored_total,
        arg_min_null(c.downloads_gained, c.day) AS first_gained,
        max(c.day) AS last_stored,
        arg_max_null(c.downloads_all_time, c.day) AS last_stored_total,
        arg_min(c.downloads_all_time, c.day) AS first_known_total,
        arg_max(c.downloads_all_time, c.day) AS last_known_total
    FROM model_counter_changes AS c, bounds AS b
    WHERE c.day BETWEEN $first_day AND $last_day
      AND c.model_key IN (SELECT model_key FROM considered)
    GROUP BY c.model_key
    HAVING max(c.day) > any_value(b.first_day)
),

-- Whether a row stored before the window (there is one when the model was first listed before its
-- first row in it) is carried onto the window's first complete days, and its all-time downloads:
-- those of the first row in it less what that row gained.
carried AS MATERIALIZED (
    SELECT
        w.*,
        d.first_complete IS NOT NULL
        AND d.first_complete < w.first_stored
        AND d.first_complete <= coalesce(w.first_reappeared_after, w.first_stored - 1)
        AND CAST(m.first_seen AS DATE) < w.first_stored AS is_carried,
        w.first_stored_total - w.first_gained AS total_before,
        d.first_complete,
        d.last_complete,
        CAST(m.last_seen AS DATE) AS last_observed
    FROM in_window AS w
    CROSS JOIN complete_days AS d
    JOIN models AS m USING (model_key)
),

-- Only when the first row in the window has no all-time downloads: read back (rare: malformed counters).
before_window AS (
    SELECT
        c.model_key,
        arg_max_null(c.downloads_all_time, c.day) AS total
    FROM model_counter_changes AS c, bounds AS b
    WHERE c.day < $first_day
      AND c.model_key IN (SELECT model_key FROM carried WHERE is_carried AND first_stored_total IS NULL)
    GROUP BY c.model_key
),

after_window AS (
    SELECT
        c.model_key,
        arg_min_null(coalesce(c.reappeared_after, c.day - 1), c.day) AS carried_until
    FROM model_counter_changes AS c, bounds AS b
    WHERE c.day > $last_day
      AND c.model_key IN (SELECT model_key FROM carried WHERE last_stored < b.last_day AND last_complete)
    GROUP BY c.model_key
),

ends AS (
    SELECT
        w.*,
        CASE WHEN w.first_stored_total IS NULL THEN p.total ELSE w.total_before END AS carried_total,
        w.first_stored = b.first_day OR (w.is_carried AND w.first_complete = b.first_day) AS on_first_day,
        w.last_stored = b.last_day
        OR (w.last_complete AND b.last_day <= coalesce(a.carried_until, w.last_observed)) AS on_last_day
    FROM carried AS w
    CROSS JOIN bounds AS b
    LEFT JOIN before_window AS p USING (model_key)
    LEFT JOIN after_window AS a USING (model_key)
),

gains AS MATERIALIZED (
    SELECT
        model_key,
        CASE WHEN is_carried THEN first_complete ELSE first_stored END AS since,
        CASE
            WHEN on_first_day AND on_last_day THEN CASE WHEN is_carried THEN carried_total ELSE first_stored_total END
            ELSE coalesce(CASE WHEN is_carried THEN carried_total END, first_known_total)
        END AS first_total,
        CASE
            WHEN on_first_day AND on_last_day THEN last_stored_total
            ELSE coalesce(last_known_total, CASE WHEN is_carried THEN carried_total END)
        END AS last_total
    FROM ends
),

risen AS (
    SELECT
        model_key,
        since,
        (last_total - first_total)::BIGINT AS downloads_gained,
        last_total AS downloads_all_time
    FROM gains
    WHERE last_total > first_total
),

-- Only the gains that can make the top $top (ties included) are joined to their ids.
contenders AS (
    SELECT *
    FROM risen
    WHERE downloads_gained >= (
        SELECT min(downloads_gained)
        FROM (SELECT downloads_gained FROM risen ORDER BY downloads_gained DESC LIMIT $top)
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
