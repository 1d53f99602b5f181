-- declared_links anew from every repository's current row: how migration 014 fills it, and for a
-- warehouse written without the merge (the benchmarks' synthetic one, tests written row by row).
DELETE FROM declared_links;

INSERT INTO declared_links
SELECT 'model', model_key, link.to_type, link.to_id, lower(link.to_id), link.source
FROM (
    SELECT model_key, unnest(model_links(tags, card_datasets, base_models, card_base_models)) AS link
    FROM models
)
ORDER BY ALL;

INSERT INTO declared_links
SELECT 'space', space_key, link.to_type, link.to_id, lower(link.to_id), link.source
FROM (
    SELECT space_key, unnest(space_links(models, datasets)) AS link
    FROM spaces
)
ORDER BY ALL;
