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
-- flagged license_list), else its first license: tag. license_type: json_type of cardData.license.
CREATE OR REPLACE TEMP MACRO declared_license(card_data, license_type, tags) AS
    CASE license_type
        WHEN 'VARCHAR' THEN card_data ->> '$.license'
        WHEN 'ARRAY' THEN (card_data -> '$.license')::VARCHAR
        ELSE list_first(tag_values(tags, 'license:'))
    END;

-- The flag a license value raises: a list, or a value of another type.
CREATE OR REPLACE TEMP MACRO license_flag(license_type) AS
    CASE
        WHEN license_type = 'ARRAY' THEN 'license_list'
        WHEN license_type NOT IN ('VARCHAR', 'NULL') THEN 'bad_type:cardData.license'
    END;
