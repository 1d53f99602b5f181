-- Rules the typing of every stream shares (typed_<stream>.sql), one definition each. TEMP macros:
-- typing runs on the warehouse and on the staging file alike (warehouse/page_typing.py creates them).

-- The values of the tags that start with `prefix` ('language:en' -> 'en'), in tag order.
CREATE OR REPLACE TEMP MACRO tag_values(tags, prefix) AS
    list_transform(list_filter(tags, lambda tag: starts_with(tag, prefix)), lambda tag: tag[length(prefix) + 1:]);

-- The record can be no row: not an object, or no usable id or _id (identity is the _id: a renamed
-- repository keeps it, and a row without one could match none). id_type / object_id_type: json_type
-- of `id` / `_id` (NULL when absent).
CREATE OR REPLACE TEMP MACRO quarantine_reason_of(is_object, id_type, object_id_type) AS
    CASE
        WHEN NOT is_object THEN 'not_an_object'
        WHEN id_type IS NULL OR id_type = 'NULL' THEN 'missing:id'
        WHEN id_type <> 'VARCHAR' THEN 'bad_type:id'
        WHEN object_id_type IS NULL OR object_id_type = 'NULL' THEN 'missing:_id'
        WHEN object_id_type <> 'VARCHAR' THEN 'bad_type:_id'
    END;

-- The license a repository declares: cardData.license as given (a list kept as its JSON text, and
-- flagged license_list), else its first license: tag. license: cardData.license as JSON text (from_json
-- renders it minified, as DuckDB renders raw), license_type: its json_type.
CREATE OR REPLACE TEMP MACRO declared_license(license, license_type, tags) AS
    CASE license_type
        WHEN 'VARCHAR' THEN license ->> '$'
        WHEN 'ARRAY' THEN license::VARCHAR
        ELSE list_first(tag_values(tags, 'license:'))
    END;

-- Ids a card field declares (cardData.base_model, cardData.datasets): an id, or a list of them;
-- anything else declares none (NULL). field: its JSON text, field_type: its json_type. The rule
-- migrations 005 and 011 backfilled with card_base_models_of and card_datasets_of.
CREATE OR REPLACE TEMP MACRO card_ids(field, field_type) AS
    CASE field_type
        WHEN 'VARCHAR' THEN [field ->> '$']
        WHEN 'ARRAY' THEN TRY_CAST(field AS VARCHAR[])
    END;

-- Whether a record's cardData (card_type: its json_type) is bigger than 1 MB, as minified JSON text.
-- Only a record of more than 1 MB can hold such a card: the others are not parsed again.
CREATE OR REPLACE TEMP MACRO large_card_data(raw, card_type) AS
    card_type = 'OBJECT' AND strlen(raw) > 1000000 AND strlen(json_extract(raw, '$.cardData')::VARCHAR) > 1000000;

-- The flag a license value raises: a list, or a value of another type.
CREATE OR REPLACE TEMP MACRO license_flag(license_type) AS
    CASE
        WHEN license_type = 'ARRAY' THEN 'license_list'
        WHEN license_type NOT IN ('VARCHAR', 'NULL') THEN 'bad_type:cardData.license'
    END;
