-- The most recent crawls, newest first, with what each did and cost.
WITH final AS (
    SELECT
        id,
        kind,
        status,
        started,
        finished,
        round(date_diff('millisecond', started, coalesce(finished, started)) / 1000.0, 1) AS seconds,
        pages,
        records,
        models_loaded,
        marked_deleted,
        flagged,
        quarantined,
        private_skipped,
        retries,
        http_429,
        rate_limit_waits,
        resumes,
        error
    FROM crawl_runs
)

SELECT * FROM final
ORDER BY id DESC
LIMIT $limit
