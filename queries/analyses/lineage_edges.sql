-- Every "derives from" edge of the base-model graph: child -> parent, with its relation and where it
-- was declared (baseModels, cardData.base_model, base_model: tags). One row per (child, parent): each
-- model's declarations are combined when it is merged (models.declared_bases, migration 008).
SELECT
    id AS child,
    base.parent AS parent,
    base.relation AS relation,
    base.declared_in AS declared_in
FROM (
    SELECT
        id,
        unnest(declared_bases) AS base
    FROM stats_models
    WHERE declared_bases IS NOT NULL
)
