-- How big is the mirror: models listed (now, or as of $as_of), deleted by then, data-quality tallies.
WITH final AS (
    SELECT
        count(*) AS models,
        (SELECT count(*) FROM models WHERE deleted_at <= coalesce($as_of, now()::TIMESTAMP)) AS deleted_models,
        count(DISTINCT author) AS authors,
        sum(downloads)::BIGINT AS downloads_30d,
        sum(downloads_all_time)::BIGINT AS downloads_all_time,
        sum(likes)::BIGINT AS likes,
        count(*) FILTER (WHERE parameters IS NOT NULL) AS with_parameter_count,
        count(*) FILTER (WHERE license IS NOT NULL) AS with_license,
        count(*) FILTER (WHERE len(flags) > 0) AS flagged_records,
        (SELECT count(*) FROM quarantine) AS quarantined_records,
        round(sum(used_storage) / 1e12, 3) AS used_storage_tb,
        (
            SELECT max(finished)
            FROM crawl_runs
            WHERE status = 'finished' AND finished <= coalesce($as_of, now()::TIMESTAMP)
        ) AS last_crawl_finished
    FROM stats_models
)

SELECT * FROM final
