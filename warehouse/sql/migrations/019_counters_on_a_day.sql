-- One day of the dense counters views, read from the stored changes: `daily_counters_on(day)` gives
-- the rows `daily_counters` has for that day (`dataset_daily_counters_on`, `space_daily_counters_on`
-- likewise). A filter on the day cannot reach below the views' lead() over every change, so the view
-- windows them all: at 2.5M models and a year of history (205M changes), one day took 69-95 s
-- through the view and 7-10 s this way (BENCHMARKS.md, 2026-12-03, twelfth session). A filter on
-- the key reaches the table either way.
-- The rule is the views' (migration 012), for one day: a repository's latest change up to the day
-- is its row when the change is that day's; otherwise the row is carried to the day when a complete
-- listing observed the day and its span has not ended (at the next change's reappeared_after, the
-- day before the next change, or its last_seen). tests/test_sparse_counters.py checks every day
-- against the views' oracle. One text for the three kinds: warehouse/sql/counters_on_day.sql.

-- include: counters_on_day for models

-- include: counters_on_day for datasets

-- include: counters_on_day for spaces
