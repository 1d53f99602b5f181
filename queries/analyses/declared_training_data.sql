-- Which models declare which datasets (cardData.datasets or `dataset:` tags), each pair once: the
-- links of the models in scope (stats_links: declared_links, the table under repo_links, joined by key), a
-- dataset named by several spellings of one id (the Hub compares ids case-insensitively: `target`)
-- counted once, with the dataset when it is in scope. Not a section: a relation the training-data
-- sections share, built once per report.
SELECT
    stats_models.id AS model,
    stats_models.downloads AS model_downloads,
    stats_models.license_id AS model_license,
    stats_models.commercial_use AS model_commercial_use,
    declared.target,
    coalesce(stats_datasets.id, declared.declared_as) AS dataset,
    stats_datasets.id IS NOT NULL AS in_mirror,
    stats_datasets.license_id AS dataset_license,
    stats_datasets.license_family AS dataset_license_family,
    stats_datasets.commercial_use AS dataset_commercial_use,
    stats_datasets.downloads AS dataset_downloads
FROM (
    SELECT from_key, target, min(to_id) AS declared_as
    FROM stats_links
    WHERE from_type = 'model'
      AND to_type = 'dataset'
    GROUP BY ALL
) AS declared
JOIN stats_models
    ON stats_models.model_key = declared.from_key
LEFT JOIN stats_datasets
    ON lower(stats_datasets.id) = declared.target
