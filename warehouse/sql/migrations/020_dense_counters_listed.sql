-- The dense counters views of migration 012, the same rows, read without a range join: each day a
-- change is carried to is listed from its span (range()) and kept when a complete listing observed
-- it, where 012 joined the complete days to the spans by a range. At 2.5M models and a year of
-- history (205M changes, 759M rows), a count over the whole view took 704 s (1,377 s of CPU) that
-- way and 105 s (181 s) this way, so an export or an aggregate over every model's year now ends in
-- minutes; a filter on the day alone stays slow either way (105-136 s: both window every change),
-- which daily_counters_on(day) answers (migration 019). BENCHMARKS.md, 2026-12-03, thirteenth
-- session. One text for the three kinds: warehouse/sql/dense_counters.sql;
-- tests/test_sparse_counters.py checks them against the dense oracle.

-- include: dense_counters for models

-- include: dense_counters for datasets

-- include: dense_counters for spaces
