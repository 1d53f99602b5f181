-- repo_links kept as a table the merge maintains instead of a view that unnested and lower-cased
-- every current repository's declarations on each read (1.9-2.2 s per link section at 2.5M models,
-- BENCHMARKS.md 2026-12-01). Each merged chunk rewrites the links of its repositories only
-- (warehouse/sql/record_links.sql); whether a target is in the mirror is resolved when read.

-- What a model declares, each link once: datasets from cardData.datasets and `dataset:` tags, bases
-- from baseModels and cardData.base_model. Lambda parameters are named apart from every column (a
-- parameter named like a column reads the column).
CREATE OR REPLACE MACRO model_links(tags, card_datasets, base_models, card_base_models) AS (
    list_distinct(list_filter(
        list_transform(coalesce(card_datasets, []::VARCHAR[]),
                       lambda link_id: {'to_type': 'dataset', 'to_id': link_id, 'source': 'cardData'})
        || list_transform(list_filter(coalesce(tags, []::VARCHAR[]), lambda link_tag: starts_with(link_tag, 'dataset:')),
                          lambda link_tag: {'to_type': 'dataset', 'to_id': link_tag[9:], 'source': 'tags'})
        || list_transform(coalesce(base_models, []::VARCHAR[]),
                          lambda link_id: {'to_type': 'model', 'to_id': link_id, 'source': 'baseModels'})
        || list_transform(coalesce(card_base_models, []::VARCHAR[]),
                          lambda link_id: {'to_type': 'model', 'to_id': link_id, 'source': 'cardData'}),
        lambda link: link.to_id IS NOT NULL AND link.to_id <> ''
    ))
);

-- What a Space declares: the models and datasets it uses, each once.
CREATE OR REPLACE MACRO space_links(models, datasets) AS (
    list_distinct(list_filter(
        list_transform(coalesce(models, []::VARCHAR[]),
                       lambda link_id: {'to_type': 'model', 'to_id': link_id, 'source': 'space.models'})
        || list_transform(coalesce(datasets, []::VARCHAR[]),
                          lambda link_id: {'to_type': 'dataset', 'to_id': link_id, 'source': 'space.datasets'}),
        lambda link: link.to_id IS NOT NULL AND link.to_id <> ''
    ))
);

-- One row per link a repository declared when last merged, keyed by the declaring repository's
-- compact key (a rename or a deletion changes no row: repo_links reads the id and deleted_at now).
CREATE TABLE declared_links (
    from_type VARCHAR NOT NULL,  -- 'model' or 'space'
    from_key  INTEGER NOT NULL,  -- models.model_key or spaces.space_key
    to_type   VARCHAR NOT NULL,  -- 'model' or 'dataset'
    to_id     VARCHAR NOT NULL,  -- as declared
    target    VARCHAR NOT NULL,  -- lower(to_id): the Hub compares ids case-insensitively
    source    VARCHAR NOT NULL
);

-- Filled from every repository's current row, as the merge keeps it from then on.
-- include: rebuild_links

-- The documented relation (README, "repo_links"), as migration 011 defined it: the links of the
-- repositories listed now, with whether a current repository of the target's type has that id.
CREATE OR REPLACE VIEW repo_links AS
WITH declaring AS (
    SELECT 'model' AS from_type, model_key AS from_key, id AS from_id
    FROM models
    WHERE deleted_at IS NULL
    UNION ALL
    SELECT 'space', space_key, id
    FROM spaces
    WHERE deleted_at IS NULL
),

targets AS (
    SELECT DISTINCT 'model' AS to_type, lower(id) AS target FROM models WHERE deleted_at IS NULL
    UNION ALL
    SELECT DISTINCT 'dataset', lower(id) FROM datasets WHERE deleted_at IS NULL
)

SELECT
    declared_links.from_type,
    declaring.from_id,
    declared_links.to_type,
    declared_links.to_id,
    declared_links.source,
    targets.target IS NOT NULL AS in_mirror
FROM declared_links
JOIN declaring
    ON declaring.from_type = declared_links.from_type
   AND declaring.from_key = declared_links.from_key
LEFT JOIN targets
    ON targets.to_type = declared_links.to_type
   AND targets.target = declared_links.target;
