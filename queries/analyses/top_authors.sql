-- The authors (users and organisations) with the most downloads in the last 30 days.
WITH by_author AS (
    SELECT
        coalesce(author, '(unknown)') AS author,
        count(*) AS models,
        sum(downloads)::BIGINT AS downloads_30d,
        sum(likes)::BIGINT AS likes
    FROM stats_models
    GROUP BY ALL
),

final AS (
    SELECT
        *,
        round(100.0 * downloads_30d / nullif(sum(downloads_30d) OVER (), 0), 2) AS download_share_pct
    FROM by_author
)

SELECT * FROM final
ORDER BY downloads_30d DESC NULLS LAST, models DESC, author
LIMIT $top
