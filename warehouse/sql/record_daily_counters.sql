-- Day-by-day counters for every repository this chunk of a crawl observed; a later crawl the same day
-- replaces them. Stored as changes (write_observed_counters.sql). (A models chunk also keeps its
-- rollups: apply_counter_rollups.sql, run by warehouse/merge.py.)
CREATE OR REPLACE TEMP TABLE observed AS
SELECT
    CAST(latest.last_seen AS DATE) AS day,
    m.{key},
    {counters_m}
FROM latest
JOIN {table} AS m USING (object_id)
WHERE m.last_seen >= $since;  -- implied by the join; lets DuckDB skip the rows merged before

-- include: write_observed_counters
