-- Day-by-day counters for every model this crawl observed; a later crawl the same day replaces them.
CREATE OR REPLACE TEMP TABLE observed AS
SELECT
    CAST(latest.last_seen AS DATE) AS day,
    models.model_key,
    models.downloads,
    models.downloads_all_time,
    models.likes,
    models.trending_score
FROM latest
JOIN models USING (object_id)
WHERE models.last_seen >= $since;  -- implied by the join; lets DuckDB skip the models merged before

-- include: apply_observed_counters
