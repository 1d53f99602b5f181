-- Each model's declared base models, combined from its three declarations (baseModels, base_model:
-- tags, cardData.base_model) into one entry per parent, kept beside them; and `lineage_edges`, the
-- graph of the models listed now, one row per (child, parent). The lineage sections built that graph
-- from every model's tags and a GROUP BY of 2.8M declarations: 2.2 s of each report at 2.5M models.
-- Written by each merge (warehouse/sql/merge_models.sql), backfilled here.

-- What a model's base_model: tags declare, as (parent, relation, source): base_model:org/x, or
-- base_model:<relation>:org/x. Split without a regex (a tenth of the time); a tag with a line break
-- declares nothing.
CREATE OR REPLACE MACRO base_model_tag_declarations(tags) AS (
    list_transform(
        list_transform(
            list_filter(coalesce(tags, []), tag -> starts_with(tag, 'base_model:') AND NOT contains(tag, chr(10))),
            tag -> {'declared': tag[12:], 'prefix': split_part(tag[12:], ':', 1)}
        ),
        tag -> CASE
            WHEN tag.prefix IN ('adapter', 'finetune', 'merge', 'quantized')
             AND length(tag.declared) > length(tag.prefix) + 1
                THEN {'parent': tag.declared[length(tag.prefix) + 2:], 'relation': tag.prefix, 'source': 'tags'}
            ELSE {'parent': tag.declared, 'relation': NULL::VARCHAR, 'source': 'tags'}
        END
    )
);

-- Every declaration of a base by one model, as (parent, relation, source); a model declaring itself
-- or an empty id declares nothing. NULL, at the cost of a string search, for a model that declares no
-- base (most): the lists cost ~1 us a model, and only the declaring ones need them.
CREATE OR REPLACE MACRO base_declarations(id, base_models, base_relation, tags, card_base_models) AS (
    CASE WHEN base_models IS NOT NULL
           OR card_base_models IS NOT NULL
           OR contains(array_to_string(tags, chr(10)), 'base_model:') THEN
        list_filter(
            list_concat(
                list_transform(
                    coalesce(base_models, []),
                    base_id -> {'parent': base_id, 'relation': base_relation, 'source': 'baseModels'}
                ),
                base_model_tag_declarations(tags),
                list_transform(
                    coalesce(card_base_models, []),
                    base_id -> {'parent': base_id, 'relation': NULL::VARCHAR, 'source': 'cardData'}
                )
            ),
            declaration -> declaration.parent IS NOT NULL AND declaration.parent <> '' AND declaration.parent <> id
        )
    END
);

-- One entry per parent: its relation (baseModels' own, else one a tag gives) and where it was declared
-- (sorted); NULL when the model declares no base. Pass a column holding base_declarations(...), not
-- the call itself: a macro's argument is copied wherever the macro uses it (here, four times a parent:
-- 15 s instead of 4 s at 2.5M models). The same goes for the columns passed to base_declarations.
CREATE OR REPLACE MACRO bases_by_parent(declarations) AS (
    CASE WHEN len(declarations) > 0 THEN
        list_transform(
            list_distinct(list_transform(declarations, declaration -> declaration.parent)),
            base_id -> {
                'parent': base_id,
                'relation': coalesce(
                    list_filter(declarations, d -> d.parent = base_id AND d.source = 'baseModels')[1].relation,
                    list_filter(declarations, d -> d.parent = base_id AND d.relation IS NOT NULL)[1].relation
                ),
                'declared_in': list_sort(list_distinct(
                    list_transform(list_filter(declarations, d -> d.parent = base_id), d -> d.source)
                ))
            }
        )
    END
);

ALTER TABLE models ADD COLUMN declared_bases STRUCT(parent VARCHAR, relation VARCHAR, declared_in VARCHAR[])[];

UPDATE models
SET declared_bases = bases_by_parent(declaring.declarations)
FROM (
    SELECT
        model_key,
        base_declarations(id, base_models, base_relation, tags, card_base_models) AS declarations
    FROM models
) AS declaring
WHERE models.model_key = declaring.model_key
  AND declaring.declarations IS NOT NULL;

-- The lineage graph of the models listed now: what each derives from, as it declares it.
CREATE OR REPLACE VIEW lineage_edges AS
SELECT
    id AS child,
    base.parent AS parent,
    base.relation AS relation,
    base.declared_in AS declared_in
FROM (
    SELECT
        id,
        unnest(declared_bases) AS base
    FROM models
    WHERE deleted_at IS NULL
      AND declared_bases IS NOT NULL
);
