-- How far back the next newest-first listing must look: the newest lastModified the mirror holds, but
-- never later than the start of the last finished crawl that carried full records. What was created or
-- edited while that crawl paged may lie behind its cursor (in a listing newest first, every model
-- created during it does), and all of it was modified after it started. The caller subtracts
-- REGISTRY_WATERMARK_OVERLAP_SECONDS for the difference between the Hub's clock and ours.
SELECT least(
    (SELECT max(last_modified) FROM models),
    (SELECT max(started) FROM crawl_runs WHERE status = 'finished' AND kind IN ('full', 'incremental'))
)
