-- Crawls started by the moment (as they ended: a run's end may lie after it).
SELECT * FROM crawl_runs
WHERE started <= $as_of
