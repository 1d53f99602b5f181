-- A warehouse's identity: its first crawl (endpoint and start), which never changes; and the endpoint
-- it crawls now. NULLs when it has never crawled.
SELECT
    (SELECT md5(endpoint || '|' || started::VARCHAR) FROM wh.crawl_runs ORDER BY id LIMIT 1) AS warehouse_id,
    (SELECT endpoint FROM wh.crawl_runs ORDER BY id DESC LIMIT 1) AS endpoint,
    (SELECT max(id) FROM wh.crawl_runs WHERE status = 'finished') AS last_crawl_run,
    (SELECT max(finished) FROM wh.crawl_runs WHERE status = 'finished') AS last_crawl_finished
