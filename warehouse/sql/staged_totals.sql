-- What the whole crawl loaded: distinct models, and how many of them carry data-quality flags.
SELECT
    count(*) AS models_loaded,
    count(*) FILTER (WHERE len(flags) > 0) AS flagged
FROM (
    SELECT arg_max(flags, page_no) AS flags
    FROM stage.staged_models
    GROUP BY id
)
