-- From history: the ecosystem's downloads gained each crawled day (all-time downloads, day over day),
-- read from the rollup daily_totals that each crawl keeps (a model's gain: its all-time downloads
-- minus those of its previous crawled day).
WITH final AS (
    SELECT
        day,
        models_observed,
        downloads_gained
    FROM daily_totals
    WHERE day <= coalesce($as_of, now()::TIMESTAMP)::DATE
      AND models_observed > 0
)

SELECT * FROM final
ORDER BY day
