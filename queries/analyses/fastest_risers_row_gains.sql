-- How many stored rows in fastest_risers.sql's window ($first_day to $last_day, constants) have a
-- gain. Fewer than its seed's rank (queries/stats.py: RISERS_SEED_ROWS_PER_RANK times the top), and
-- its first pass had no seed: it considered every model and its answer is exact already (stats.py
-- then skips the second pass, which would consider every model again: after a first crawl, 2.5 s at
-- 2.5M models).
SELECT count(*) AS row_gains
FROM model_counter_changes
WHERE day BETWEEN $first_day AND $last_day
  AND downloads_gained IS NOT NULL
