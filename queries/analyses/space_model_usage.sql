-- Which models the Spaces in scope run: each Space counted once per model it declares (spellings of
-- one id, one `target`, are one model), over the models in scope. Not a section: a relation the two
-- Space-usage sections share, built once per report. A model counts when it is in scope
-- (repo_links.in_mirror says the same of the models listed now).
SELECT DISTINCT
    stats_models.id AS model,
    stats_models.downloads AS model_downloads,
    declared.space
FROM (
    SELECT stats_spaces.id AS space, stats_links.target
    FROM stats_links
    JOIN stats_spaces
        ON stats_spaces.space_key = stats_links.from_key
    WHERE stats_links.from_type = 'space'
      AND stats_links.to_type = 'model'
) AS declared
JOIN stats_models
    ON lower(stats_models.id) = declared.target
