-- The long tail of all-time downloads: the share of models under 200 all-time downloads, and the
-- smallest share of models that holds 99 % of all downloads (the most downloaded first). Models whose
-- all-time count the Hub did not give are left out.
WITH known AS (
    SELECT downloads_all_time AS downloads
    FROM stats_models
    WHERE downloads_all_time IS NOT NULL
),

totals AS (
    SELECT
        count(*) AS n,
        sum(downloads) AS total
    FROM known
),

ranked AS (
    SELECT
        row_number() OVER (ORDER BY downloads DESC) AS rank_desc,
        sum(downloads) OVER (ORDER BY downloads DESC ROWS UNBOUNDED PRECEDING) AS running
    FROM known
),

holding AS (
    SELECT min(rank_desc) AS models_holding_99pct
    FROM ranked, totals
    WHERE running >= 0.99 * total
),

final AS (
    SELECT
        n AS models,
        total::BIGINT AS downloads_all_time,
        (SELECT count(*) FROM known WHERE downloads < 200) AS under_200,
        round(100.0 * (SELECT count(*) FROM known WHERE downloads < 200) / nullif(n, 0), 2) AS under_200_pct,
        models_holding_99pct,
        round(100.0 * models_holding_99pct / nullif(n, 0), 2) AS models_holding_99pct_share
    FROM totals, holding
)

SELECT * FROM final
