-- How concentrated downloads (last 30 days) are: the share of the top 1 % and 10 % of models, and Gini.
-- n and the total come from a plain aggregate, not from windows over all rows: one sort, not three passes.
WITH counted AS (
    SELECT
        count(*) AS n,
        sum(downloads) AS total
    FROM stats_models
    WHERE downloads IS NOT NULL
),

ranked AS (
    SELECT
        downloads,
        row_number() OVER (ORDER BY downloads DESC) AS rank_desc
    FROM stats_models
    WHERE downloads IS NOT NULL
),

final AS (
    SELECT
        any_value(n) AS models,
        any_value(total)::BIGINT AS downloads_30d,
        round(100.0 * sum(downloads) FILTER (WHERE rank_desc <= ceil(n * 0.01)) / nullif(any_value(total), 0), 2)
            AS top_1pct_share,
        round(100.0 * sum(downloads) FILTER (WHERE rank_desc <= ceil(n * 0.10)) / nullif(any_value(total), 0), 2)
            AS top_10pct_share,
        -- Gini over values sorted ascending (i = n - rank_desc + 1): 2*sum(i*x)/(n*sum(x)) - (n+1)/n
        round(
            2.0 * sum((n - rank_desc + 1) * downloads) / nullif(any_value(n) * any_value(total), 0)
            - (any_value(n) + 1.0) / any_value(n),
            4
        ) AS gini
    FROM ranked, counted
)

SELECT * FROM final
