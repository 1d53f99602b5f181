-- After a complete listing: repositories it did not list are gone from the Hub (kept, with deleted_at).
-- Every one the crawl listed was merged with last_seen = the time its page was fetched, which is
-- never before the run started (resumed runs keep their start).
UPDATE {table}
SET deleted_at = $finished
WHERE deleted_at IS NULL
  AND last_seen < $started
