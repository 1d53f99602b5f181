-- Counters history that costs what changes (issue 21): on the Hub most repositories' counters do not
-- move on most days, yet daily_counters kept a row per repository and day observed (6.69 bytes a
-- model-day). Each kind now stores a row only when a repository's counters change (and the few rows
-- that say where it was not observed), and daily_counters, dataset_daily_counters and
-- space_daily_counters become views giving the same rows as the tables did. Written by each merge
-- chunk (warehouse/sql/write_observed_counters.sql); converted here, losslessly, from the dense tables.

-- Which days each kind was observed, by which pass: a complete listing (full, counters) observes
-- every public repository of its kind, an incremental one only those edited.
CREATE TABLE counter_days (
    repo_type VARCHAR NOT NULL,  -- models | datasets | spaces
    day       DATE NOT NULL,     -- a (UTC) day a crawl of that kind recorded counters
    pass      VARCHAR NOT NULL   -- the crawl's kind: full | counters | incremental
);

-- A row per repository and day its counters changed, or that the view cannot carry forward (below).
CREATE TABLE model_counter_changes (
    day                DATE NOT NULL,
    model_key          INTEGER NOT NULL,
    downloads          BIGINT,
    downloads_all_time BIGINT,
    likes              INTEGER,
    trending_score     DOUBLE,
    downloads_gained   BIGINT,  -- downloads_all_time minus the row before's (NULL for the first)
    reappeared_after   DATE  -- set when complete listings missed it: its latest observed day before
);

CREATE TABLE dataset_counter_changes (
    day                DATE NOT NULL,
    dataset_key        INTEGER NOT NULL,
    downloads          BIGINT,
    downloads_all_time BIGINT,
    likes              INTEGER,
    trending_score     DOUBLE,
    downloads_gained   BIGINT,  -- downloads_all_time minus the row before's (NULL for the first)
    reappeared_after   DATE
);

CREATE TABLE space_counter_changes (
    day              DATE NOT NULL,
    space_key        INTEGER NOT NULL,
    likes            INTEGER,
    trending_score   DOUBLE,
    reappeared_after DATE
);

-- Each repository's latest observed day and its counters then: what the next observation is
-- compared with (the current-state table's counters are already the new ones by then).
CREATE TABLE model_last_counters (
    model_key          INTEGER NOT NULL,
    day                DATE NOT NULL,
    downloads          BIGINT,
    downloads_all_time BIGINT,
    likes              INTEGER,
    trending_score     DOUBLE
);

CREATE TABLE dataset_last_counters (
    dataset_key        INTEGER NOT NULL,
    day                DATE NOT NULL,
    downloads          BIGINT,
    downloads_all_time BIGINT,
    likes              INTEGER,
    trending_score     DOUBLE
);

CREATE TABLE space_last_counters (
    space_key      INTEGER NOT NULL,
    day            DATE NOT NULL,
    likes          INTEGER,
    trending_score DOUBLE
);

-- The days each earlier crawl recorded counters on, by its kind. Any choice of complete days
-- converts losslessly (a day not known complete keeps all its rows); these keep the conversion small.
INSERT INTO counter_days
SELECT DISTINCT runs.repo_type, runs.day, runs.kind
FROM (
    SELECT
        coalesce(repo_type, 'models') AS repo_type,
        kind,
        CAST(unnest(generate_series(CAST(started AS DATE), CAST(coalesce(finished, started) AS DATE), INTERVAL 1 DAY)) AS DATE) AS day
    FROM crawl_runs
) AS runs
JOIN (
    SELECT DISTINCT 'models' AS repo_type, day FROM daily_counters
    UNION ALL
    SELECT DISTINCT 'datasets', day FROM dataset_daily_counters
    UNION ALL
    SELECT DISTINCT 'spaces', day FROM space_daily_counters
) AS recorded USING (repo_type, day);

-- The conversion rule, over a temp table `dense` that holds one kind's history, each row with its
-- repository's previous observed day and whether its counters changed since: the rows to keep, as
-- write_observed_counters.sql judges each observation against the one before.
CREATE TEMP TABLE dense (day DATE, key INTEGER, previous_day DATE, changed BOOLEAN, repo_type VARCHAR);

CREATE TEMP VIEW kept_days AS
WITH complete_days AS (
    SELECT DISTINCT day
    FROM counter_days
    WHERE repo_type = (SELECT any_value(repo_type) FROM dense)
      AND pass IN ('full', 'counters')
),

next_complete AS (
    SELECT
        previous.previous_day,
        min(complete_days.day) AS next_complete_day
    FROM (SELECT DISTINCT previous_day FROM dense WHERE previous_day IS NOT NULL) AS previous
    JOIN complete_days ON complete_days.day > previous.previous_day
    GROUP BY previous.previous_day
),

judged AS (
    SELECT
        dense.*,
        coalesce(next_complete.next_complete_day < dense.day, false) AS missed,
        dense.day IN (SELECT day FROM complete_days) AS complete_day
    FROM dense
    LEFT JOIN next_complete USING (previous_day)
)

SELECT
    day,
    key,
    CASE WHEN missed THEN previous_day END AS reappeared_after
FROM judged
WHERE previous_day IS NULL
   OR missed
   OR NOT complete_day
   OR changed;

INSERT INTO dense
SELECT
    day,
    model_key,
    lag(day) OVER by_model,
    (downloads, downloads_all_time, likes, trending_score)
        IS DISTINCT FROM lag((downloads, downloads_all_time, likes, trending_score)) OVER by_model,
    'models'
FROM daily_counters
WINDOW by_model AS (PARTITION BY model_key ORDER BY day);

INSERT INTO model_counter_changes
SELECT c.*, k.reappeared_after
FROM (
    SELECT
        *,
        downloads_all_time - lag(downloads_all_time) OVER (PARTITION BY model_key ORDER BY day) AS downloads_gained
    FROM daily_counters
) AS c
JOIN kept_days AS k ON k.key = c.model_key AND k.day = c.day
ORDER BY c.day, c.model_key;

INSERT INTO model_last_counters
SELECT model_key, day, downloads, downloads_all_time, likes, trending_score
FROM daily_counters
QUALIFY row_number() OVER (PARTITION BY model_key ORDER BY day DESC) = 1
ORDER BY model_key;

DELETE FROM dense;

INSERT INTO dense
SELECT
    day,
    dataset_key,
    lag(day) OVER by_dataset,
    (downloads, downloads_all_time, likes, trending_score)
        IS DISTINCT FROM lag((downloads, downloads_all_time, likes, trending_score)) OVER by_dataset,
    'datasets'
FROM dataset_daily_counters
WINDOW by_dataset AS (PARTITION BY dataset_key ORDER BY day);

INSERT INTO dataset_counter_changes
SELECT c.*, k.reappeared_after
FROM (
    SELECT
        *,
        downloads_all_time - lag(downloads_all_time) OVER (PARTITION BY dataset_key ORDER BY day) AS downloads_gained
    FROM dataset_daily_counters
) AS c
JOIN kept_days AS k ON k.key = c.dataset_key AND k.day = c.day
ORDER BY c.day, c.dataset_key;

INSERT INTO dataset_last_counters
SELECT dataset_key, day, downloads, downloads_all_time, likes, trending_score
FROM dataset_daily_counters
QUALIFY row_number() OVER (PARTITION BY dataset_key ORDER BY day DESC) = 1
ORDER BY dataset_key;

DELETE FROM dense;

INSERT INTO dense
SELECT
    day,
    space_key,
    lag(day) OVER by_space,
    (likes, trending_score) IS DISTINCT FROM lag((likes, trending_score)) OVER by_space,
    'spaces'
FROM space_daily_counters
WINDOW by_space AS (PARTITION BY space_key ORDER BY day);

INSERT INTO space_counter_changes
SELECT c.*, k.reappeared_after
FROM space_daily_counters AS c
JOIN kept_days AS k ON k.key = c.space_key AND k.day = c.day
ORDER BY c.day, c.space_key;

INSERT INTO space_last_counters
SELECT space_key, day, likes, trending_score
FROM space_daily_counters
QUALIFY row_number() OVER (PARTITION BY space_key ORDER BY day DESC) = 1
ORDER BY space_key;

DROP VIEW kept_days;
DROP TABLE dense;

DROP TABLE daily_counters;
DROP TABLE dataset_daily_counters;
DROP TABLE space_daily_counters;

-- The dense relations, as the tables were: each stored row on its own day, and carried forward
-- over the later days a complete listing observed its kind, until the next stored row (or its
-- `reappeared_after`) and at most to the repository's latest observed day: the day of its last_seen,
-- since every listing that moves last_seen records counters on that day (record_daily_counters.sql).
CREATE VIEW daily_counters AS
WITH spans AS (
    SELECT
        *,
        lead(day) OVER by_model AS next_day,
        lead(reappeared_after) OVER by_model AS next_reappeared_after
    FROM model_counter_changes
    WINDOW by_model AS (PARTITION BY model_key ORDER BY day)
),

complete_days AS (
    SELECT DISTINCT day
    FROM counter_days
    WHERE repo_type = 'models'
      AND pass IN ('full', 'counters')
)

SELECT day, model_key, downloads, downloads_all_time, likes, trending_score
FROM spans
UNION ALL
SELECT c.day, s.model_key, s.downloads, s.downloads_all_time, s.likes, s.trending_score
FROM spans AS s
JOIN models AS r USING (model_key)
JOIN complete_days AS c
    ON c.day > s.day
   AND c.day <= coalesce(s.next_reappeared_after, s.next_day - 1, CAST(r.last_seen AS DATE));

CREATE VIEW dataset_daily_counters AS
WITH spans AS (
    SELECT
        *,
        lead(day) OVER by_dataset AS next_day,
        lead(reappeared_after) OVER by_dataset AS next_reappeared_after
    FROM dataset_counter_changes
    WINDOW by_dataset AS (PARTITION BY dataset_key ORDER BY day)
),

complete_days AS (
    SELECT DISTINCT day
    FROM counter_days
    WHERE repo_type = 'datasets'
      AND pass IN ('full', 'counters')
)

SELECT day, dataset_key, downloads, downloads_all_time, likes, trending_score
FROM spans
UNION ALL
SELECT c.day, s.dataset_key, s.downloads, s.downloads_all_time, s.likes, s.trending_score
FROM spans AS s
JOIN datasets AS r USING (dataset_key)
JOIN complete_days AS c
    ON c.day > s.day
   AND c.day <= coalesce(s.next_reappeared_after, s.next_day - 1, CAST(r.last_seen AS DATE));

CREATE VIEW space_daily_counters AS
WITH spans AS (
    SELECT
        *,
        lead(day) OVER by_space AS next_day,
        lead(reappeared_after) OVER by_space AS next_reappeared_after
    FROM space_counter_changes
    WINDOW by_space AS (PARTITION BY space_key ORDER BY day)
),

complete_days AS (
    SELECT DISTINCT day
    FROM counter_days
    WHERE repo_type = 'spaces'
      AND pass IN ('full', 'counters')
)

SELECT day, space_key, likes, trending_score
FROM spans
UNION ALL
SELECT c.day, s.space_key, s.likes, s.trending_score
FROM spans AS s
JOIN spaces AS r USING (space_key)
JOIN complete_days AS c
    ON c.day > s.day
   AND c.day <= coalesce(s.next_reappeared_after, s.next_day - 1, CAST(r.last_seen AS DATE));

-- As in migration 009, with the counters read from the changes: a model's latest stored row up to
-- a day holds the counters of its latest observed day up to it (every stored row is an observed day).
CREATE OR REPLACE MACRO models_as_of(at_time) AS TABLE
WITH versions AS (
    SELECT *
    FROM model_versions
    WHERE valid_from <= at_time
      AND (valid_to IS NULL OR valid_to > at_time)
),

counters AS (
    SELECT
        model_key,
        arg_max(downloads, day) AS downloads,
        arg_max(downloads_all_time, day) AS downloads_all_time,
        arg_max(likes, day) AS likes,
        arg_max(trending_score, day) AS trending_score
    FROM model_counter_changes
    WHERE day <= CAST(at_time AS DATE)
    GROUP BY model_key
),

ids_then AS (
    SELECT
        model_key,
        coalesce(
            arg_max(new_id, seen_at) FILTER (WHERE seen_at <= at_time),
            arg_min(old_id, seen_at) FILTER (WHERE seen_at > at_time)
        ) AS id
    FROM model_renames
    GROUP BY model_key
)

SELECT
    coalesce(i.id, m.id) AS id,
    m.model_key,
    m.author,
    m.created_at,
    v.* EXCLUDE (model_key, version_hash),
    c.* EXCLUDE (model_key),
    m.first_seen,
    m.deleted_at
FROM versions AS v
JOIN models AS m USING (model_key)
LEFT JOIN counters AS c USING (model_key)
LEFT JOIN ids_then AS i USING (model_key)
WHERE m.first_seen <= at_time
  AND (m.deleted_at IS NULL OR m.deleted_at > at_time);
