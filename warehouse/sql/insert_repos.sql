-- A chunk of repositories the warehouse has none of (a first crawl's, all of them): appended. What
-- merge_repos.sql does for such a chunk, for less: the MERGE's join builds its hash table on the
-- chunk's whole rows (raw) and holds its inserts apart until the COMMIT; at 1M models,
-- 19.4 s against 14.0 s of CPU (BENCHMARKS.md).
INSERT INTO {table} BY NAME
SELECT *
FROM latest;
