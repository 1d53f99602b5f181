-- cardData.base_model as a list of model ids, kept beside card_data: the lineage sections read it for
-- every model, and parsing it out of each model's cardData JSON took 1.1 s of a 2.9 s report at
-- 2.5M models. Written by each merge (warehouse/sql/merge_models.sql), backfilled here.

-- A model id, or a list of them; anything else declares no base model (NULL).
CREATE OR REPLACE MACRO card_base_models_of(card_data) AS (
    CASE json_type(card_data, '$.base_model')
        WHEN 'VARCHAR' THEN [card_data ->> '$.base_model']
        WHEN 'ARRAY' THEN TRY_CAST(card_data -> '$.base_model' AS VARCHAR[])
    END
);

ALTER TABLE models ADD COLUMN card_base_models VARCHAR[];

UPDATE models
SET card_base_models = card_base_models_of(card_data)
WHERE card_data IS NOT NULL;
