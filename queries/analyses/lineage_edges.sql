-- Every "derives from" edge of the base-model graph: child -> parent, with its relation and where it
-- was declared (baseModels, cardData.base_model, base_model: tags). One row per (child, parent).
WITH from_base_models AS (
    SELECT
        id AS child,
        unnest(base_models) AS parent,
        base_relation AS relation,
        'baseModels' AS declared_in
    FROM stats_models
    WHERE base_models IS NOT NULL
),

from_tags AS (
    SELECT
        id AS child,
        regexp_extract(tag, '^base_model:(?:(adapter|finetune|merge|quantized):)?(.+)$', 2) AS parent,
        nullif(regexp_extract(tag, '^base_model:(?:(adapter|finetune|merge|quantized):)?(.+)$', 1), '') AS relation,
        'tags' AS declared_in
    FROM (SELECT id, unnest(tags) AS tag FROM stats_models)
    WHERE starts_with(tag, 'base_model:')
),

from_card AS (
    SELECT
        id AS child,
        unnest(
            CASE json_type(card_data, '$.base_model')
                WHEN 'VARCHAR' THEN [card_data ->> '$.base_model']
                WHEN 'ARRAY' THEN TRY_CAST(card_data -> '$.base_model' AS VARCHAR[])
            END
        ) AS parent,
        NULL AS relation,
        'cardData' AS declared_in
    FROM stats_models
    WHERE card_data IS NOT NULL
),

declared AS (
    SELECT * FROM from_base_models
    UNION ALL
    SELECT * FROM from_tags
    UNION ALL
    SELECT * FROM from_card
),

final AS (
    SELECT
        child,
        parent,
        coalesce(
            any_value(relation) FILTER (WHERE declared_in = 'baseModels'),
            any_value(relation) FILTER (WHERE relation IS NOT NULL)
        ) AS relation,
        list_sort(list(DISTINCT declared_in)) AS declared_in
    FROM declared
    WHERE parent IS NOT NULL
      AND parent <> ''
      AND parent <> child
    GROUP BY child, parent
)

SELECT * FROM final
