-- Records the temp table `observed` (day, key, counters: one row per repository) in the day-by-day
-- counters table; a later crawl the same day replaces that day's row.
-- Joined on both keys, so that the planner cannot pair every row of a day with every other. The
-- constant $first_day (the chunk's earliest day) lets DuckDB skip the history before it instead of
-- scanning a year of it for every chunk.
DELETE FROM {counters_table}
USING observed
WHERE {counters_table}.day >= $first_day
  AND {counters_table}.day = observed.day
  AND {counters_table}.{key} = observed.{key};

INSERT INTO {counters_table}
SELECT *
FROM observed
ORDER BY day, {key};
