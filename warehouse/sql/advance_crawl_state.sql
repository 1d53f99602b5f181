-- Move the cursor past a page, in the same transaction as the page's staged_pages row.
UPDATE crawl_state SET
    next_path = $next_path,
    listing_done = $next_path IS NULL,
    pages = pages + 1,
    records = records + $records,
    retries = retries + $retries,
    http_429 = http_429 + $http_429,
    rate_limit_waits = rate_limit_waits + $rate_limit_waits,
    rate_limit_wait_seconds = rate_limit_wait_seconds + $rate_limit_wait_seconds
