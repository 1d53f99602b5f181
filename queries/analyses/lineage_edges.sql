-- Every "derives from" edge of the base-model graph: child -> parent, with its relation and where it
-- was declared (baseModels, cardData.base_model, base_model: tags), and what the lineage sections ask
-- of both ends (model_facts), read here once per report rather than joined by each section; the
-- parent's are NULL when it is not one of the models in scope. parent_has_base: the parent declares a
-- base of its own, so a walk down the lineage can go on from this edge (a third of the edges).
-- One row per (child, parent) and per listed model holding each of those ids (two can hold one for a
-- while: between a rename and the crawl that sees it).
-- The models are read twice: for what declares a base (the children), and joined by id for the
-- parents' facts. A parent named by an id its model has since been renamed from is that model, under
-- its id now.
WITH
-- A model's author; its licence (the canonical id where the taxonomy knows it, else the raw value
-- lower-cased), whether it declares one, the licence's family and whether it allows commercial use;
-- whether it is a GGUF model (library or tag).
model_facts AS NOT MATERIALIZED (
    SELECT
        *,
        {
            'author': author,
            'is_gguf': library_name = 'gguf' OR list_contains(tags, 'gguf'),
            'license': coalesce(license_id, lower(trim(license))),
            'license_declared': license IS NOT NULL,
            'license_family': license_family,
            'commercial_use': commercial_use
        } AS facts
    FROM stats_models
),

declaring AS MATERIALIZED (
    SELECT *
    FROM (
        SELECT
            id,
            facts,
            base_models,
            base_relation,
            list_filter(tags, tag -> starts_with(tag, 'base_model:')) AS base_model_tags,
            card_base_models
        FROM model_facts
    )
    WHERE base_models IS NOT NULL
       OR len(base_model_tags) > 0
       OR card_base_models IS NOT NULL
),

from_base_models AS (
    SELECT
        id AS child,
        unnest(base_models) AS parent,
        base_relation AS relation,
        'baseModels' AS declared_in
    FROM declaring
    WHERE base_models IS NOT NULL
),

-- base_model:[relation:]parent, split without a regex (a tenth of the time); as the regex
-- '^base_model:(?:(adapter|finetune|merge|quantized):)?(.+)$' did, a tag with a line break declares nothing.
tag_values AS (
    SELECT
        id,
        declared,
        split_part(declared, ':', 1) AS prefix
    FROM (
        SELECT
            id,
            unnest(base_model_tags)[12:] AS declared
        FROM declaring
    )
    WHERE NOT contains(declared, chr(10))
),

from_tags AS (
    SELECT
        id AS child,
        CASE WHEN has_relation THEN declared[length(prefix) + 2:] ELSE declared END AS parent,
        CASE WHEN has_relation THEN prefix END AS relation,
        'tags' AS declared_in
    FROM (
        SELECT
            *,
            prefix IN ('adapter', 'finetune', 'merge', 'quantized') AND length(declared) > length(prefix) + 1
                AS has_relation
        FROM tag_values
    )
),

from_card AS (
    SELECT
        id AS child,
        unnest(card_base_models) AS parent,
        NULL AS relation,
        'cardData' AS declared_in
    FROM declaring
    WHERE card_base_models IS NOT NULL
),

declared AS (
    SELECT * FROM from_base_models
    UNION ALL
    SELECT * FROM from_tags
    UNION ALL
    SELECT * FROM from_card
),

-- Old ids of renamed models (model_renames), each to the id its model has now; not an old id that
-- a listed model holds now (a new repository may take a freed name): that one names the new model.
renamed AS (
    SELECT
        r.old_id,
        arg_max(m.id, r.seen_at) AS current_id
    FROM model_renames AS r
    JOIN models AS m USING (model_key)
    WHERE NOT EXISTS (
        SELECT 1
        FROM models AS holder
        WHERE holder.id = r.old_id
          AND holder.deleted_at IS NULL
    )
    GROUP BY r.old_id
),

resolved AS (
    SELECT
        d.child,
        coalesce(r.current_id, d.parent) AS parent,
        d.relation,
        d.declared_in
    FROM declared AS d
    LEFT JOIN renamed AS r ON r.old_id = d.parent
),

-- Fixed-size aggregate states (flags, not a list per edge): at 2.5M models the lists ran out of
-- 256 MB.
edges AS (
    SELECT
        child,
        parent,
        coalesce(
            any_value(relation) FILTER (WHERE declared_in = 'baseModels'),
            any_value(relation) FILTER (WHERE relation IS NOT NULL)
        ) AS relation,
        bool_or(declared_in = 'baseModels') AS in_base_models,
        bool_or(declared_in = 'cardData') AS in_card_data,
        bool_or(declared_in = 'tags') AS in_tags
    FROM resolved
    WHERE parent IS NOT NULL
      AND parent <> ''
      AND parent <> child
    GROUP BY child, parent
),

final AS (
    SELECT
        child,
        parent,
        relation,
        list_filter(  -- in sorted order, as list_sort(list(DISTINCT declared_in)) gave it
            [CASE WHEN in_base_models THEN 'baseModels' END, CASE WHEN in_card_data THEN 'cardData' END,
             CASE WHEN in_tags THEN 'tags' END],
            declared -> declared IS NOT NULL
        ) AS declared_in,
        child_model.facts.author AS child_author,
        child_model.facts.is_gguf AS child_is_gguf,
        child_model.facts.license AS child_license,
        child_model.facts.license_declared AS child_license_declared,
        child_model.facts.license_family AS child_license_family,
        child_model.facts.commercial_use AS child_commercial_use,
        parent_model.facts.author AS parent_author,
        parent_model.facts.license AS parent_license,
        parent_model.facts.license_declared AS parent_license_declared,
        parent_model.facts.license_family AS parent_license_family,
        parent_model.facts.commercial_use AS parent_commercial_use,
        edges.parent IN (SELECT child FROM edges) AS parent_has_base
    FROM edges
    JOIN declaring AS child_model ON child_model.id = edges.child
    LEFT JOIN (SELECT id, facts FROM model_facts) AS parent_model ON parent_model.id = edges.parent
)

SELECT * FROM final
