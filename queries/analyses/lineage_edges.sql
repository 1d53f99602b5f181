-- Every "derives from" edge of the base-model graph: child -> parent, with its relation and where it
-- was declared (baseModels, cardData.base_model, base_model: tags), and the child's author and whether
-- it is a GGUF model (library or tag: read here, in the one scan of the models, for the sections that
-- need them of every derivative). One row per (child, parent).
-- The models are read once, for only what declares a base. A parent named by an id its model has
-- since been renamed from is that model, under its id now.
WITH declaring AS MATERIALIZED (
    SELECT *
    FROM (
        SELECT
            id,
            author,
            library_name = 'gguf' OR list_contains(tags, 'gguf') AS is_gguf,
            base_models,
            base_relation,
            list_filter(tags, tag -> starts_with(tag, 'base_model:')) AS base_model_tags,
            card_base_models
        FROM stats_models
    )
    WHERE base_models IS NOT NULL
       OR len(base_model_tags) > 0
       OR card_base_models IS NOT NULL
),

from_base_models AS (
    SELECT
        id AS child,
        author,
        is_gguf,
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
        author,
        is_gguf,
        declared,
        split_part(declared, ':', 1) AS prefix
    FROM (
        SELECT
            id,
            author,
            is_gguf,
            unnest(base_model_tags)[12:] AS declared
        FROM declaring
    )
    WHERE NOT contains(declared, chr(10))
),

from_tags AS (
    SELECT
        id AS child,
        author,
        is_gguf,
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
        author,
        is_gguf,
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
        d.author,
        d.is_gguf,
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
        bool_or(declared_in = 'tags') AS in_tags,
        any_value(author) AS child_author,  -- the child's: the same on each of its rows
        any_value(is_gguf) AS child_is_gguf
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
        child_author,
        child_is_gguf
    FROM edges
)

SELECT * FROM final
