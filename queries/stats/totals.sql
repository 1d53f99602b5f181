-- How big is the mirror: models listed now, deleted since, and the data-quality tallies.
WITH current_models AS (
    SELECT *
    FROM models
    WHERE deleted_at IS NULL
),

final AS (
    SELECT
        count(*) AS models,
        (SELECT count(*) FROM models WHERE deleted_at IS NOT NULL) AS deleted_models,
        count(DISTINCT author) AS authors,
        sum(downloads) AS downloads_30d,
        sum(downloads_all_time) AS downloads_all_time,
        sum(likes) AS likes,
        count(*) FILTER (WHERE parameters IS NOT NULL) AS with_parameter_count,
        count(*) FILTER (WHERE license IS NOT NULL) AS with_license,
        count(*) FILTER (WHERE len(flags) > 0) AS flagged_records,
        (SELECT count(*) FROM quarantine) AS quarantined_records,
        round(sum(used_storage) / 1e12, 3) AS used_storage_tb,
        (SELECT max(finished) FROM crawl_runs WHERE status = 'finished') AS last_crawl_finished
    FROM current_models
)

SELECT * FROM final
