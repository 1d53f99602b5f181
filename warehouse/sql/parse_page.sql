-- One listing page (a JSON array of model records, $body) -> typed rows in TEMP table page_rows.
-- Every record survives: wrong types become NULL plus a flag, a record without a usable id gets
-- a quarantine_reason, and raw keeps the record exactly as sent.
CREATE OR REPLACE TEMP TABLE page_rows AS
WITH records AS (
    SELECT unnest(CAST($body AS JSON[])) AS raw
),

fields AS (
    SELECT
        raw,
        json_type(raw) = 'OBJECT' AS is_object,
        -- Parse each record once into its top-level values, still as JSON.
        CASE WHEN json_type(raw) = 'OBJECT' THEN from_json(raw, '{
            "id": "JSON", "_id": "JSON", "author": "JSON", "createdAt": "JSON", "lastModified": "JSON",
            "sha": "JSON", "gated": "JSON", "disabled": "JSON", "downloads": "JSON",
            "downloadsAllTime": "JSON", "likes": "JSON", "trendingScore": "JSON",
            "library_name": "JSON", "pipeline_tag": "JSON", "tags": "JSON", "cardData": "JSON",
            "safetensors": "JSON", "gguf": "JSON", "baseModels": "JSON", "childrenModelCount": "JSON",
            "usedStorage": "JSON", "private": "JSON"}') END AS f
    FROM records
),

nested AS (
    SELECT
        *,
        CASE WHEN json_type(f.cardData) = 'OBJECT' THEN f.cardData END AS card,
        CASE WHEN json_type(f.cardData) = 'OBJECT' THEN f.cardData -> '$.license' END AS card_license,
        CASE WHEN json_type(f.tags) = 'ARRAY' THEN TRY_CAST(f.tags AS VARCHAR[]) END AS tag_list,
        CASE WHEN json_type(f.safetensors) = 'OBJECT' THEN f.safetensors -> '$.total' END AS st_total,
        CASE WHEN json_type(f.gguf) = 'OBJECT' THEN f.gguf -> '$.total' END AS gguf_total,
        CASE WHEN json_type(f.baseModels) = 'OBJECT' THEN f.baseModels -> '$.models' END AS base_list,
        CASE WHEN json_type(f.baseModels) = 'OBJECT' THEN f.baseModels -> '$.relation' END AS base_rel
    FROM fields
),

typed AS (
    SELECT
        raw,
        json_str(f.id) AS id,
        json_str(f._id) AS object_id,
        json_str(f.author) AS author,
        json_ts(f.createdAt) AS created_at,
        json_ts(f.lastModified) AS last_modified,
        json_str(f.sha) AS sha,
        CASE WHEN json_type(f.gated) IN ('BOOLEAN', 'VARCHAR') THEN f.gated ->> '$' END AS gated,
        json_bool(f.disabled) AS disabled,
        json_int(f.downloads) AS downloads,
        json_int(f.downloadsAllTime) AS downloads_all_time,
        json_int(f.likes) AS likes,
        json_num(f.trendingScore) AS trending_score,
        json_str(f.library_name) AS library_name,
        json_str(f.pipeline_tag) AS pipeline_tag,
        tag_list AS tags,
        coalesce(
            json_str(card_license),
            CASE WHEN json_type(card_license) = 'ARRAY' THEN card_license::VARCHAR END,
            list_first(list_transform(
                list_filter(tag_list, lambda t: starts_with(t, 'license:')), lambda t: t[9:]))
        ) AS license,
        json_str(card -> '$.license_name') AS license_name,
        coalesce(json_int(st_total), json_int(gguf_total)) AS parameters,
        CASE
            WHEN json_int(st_total) IS NOT NULL THEN 'safetensors'
            WHEN json_int(gguf_total) IS NOT NULL THEN 'gguf'
        END AS parameters_source,
        CASE WHEN json_type(base_list) = 'ARRAY'
            THEN list_transform(TRY_CAST(base_list AS JSON[]), lambda m: m ->> '$.id') END AS base_models,
        json_str(base_rel) AS base_relation,
        json_int(f.childrenModelCount) AS children_model_count,
        json_int(f.usedStorage) AS used_storage,
        card AS card_data,
        coalesce(json_bool(f.private), false) AS is_private,
        CASE
            WHEN NOT is_object THEN 'not_an_object'
            WHEN f.id IS NULL OR json_type(f.id) = 'NULL' THEN 'missing:id'
            WHEN json_str(f.id) IS NULL THEN 'bad_type:id'
        END AS quarantine_reason,
        list_filter([
            missing_flag(f.author, 'author'),
            missing_flag(f.createdAt, 'createdAt'),
            missing_flag(f.lastModified, 'lastModified'),
            missing_flag(f.sha, 'sha'),
            missing_flag(f.downloads, 'downloads'),
            missing_flag(f.likes, 'likes'),
            missing_flag(f.tags, 'tags'),
            bad_type_flag(f._id, json_str(f._id), '_id'),
            bad_type_flag(f.author, json_str(f.author), 'author'),
            bad_type_flag(f.createdAt, json_ts(f.createdAt), 'createdAt'),
            bad_type_flag(f.lastModified, json_ts(f.lastModified), 'lastModified'),
            bad_type_flag(f.sha, json_str(f.sha), 'sha'),
            CASE WHEN f.gated IS NOT NULL AND (json_type(f.gated) NOT IN ('BOOLEAN', 'VARCHAR', 'NULL')
                 OR (json_type(f.gated) = 'VARCHAR' AND (f.gated ->> '$') NOT IN ('auto', 'manual')))
                 THEN 'bad_type:gated' END,
            bad_type_flag(f.disabled, json_bool(f.disabled), 'disabled'),
            bad_type_flag(f.downloads, json_int(f.downloads), 'downloads'),
            bad_type_flag(f.downloadsAllTime, json_int(f.downloadsAllTime), 'downloadsAllTime'),
            bad_type_flag(f.likes, json_int(f.likes), 'likes'),
            bad_type_flag(f.trendingScore, json_num(f.trendingScore), 'trendingScore'),
            bad_type_flag(f.library_name, json_str(f.library_name), 'library_name'),
            bad_type_flag(f.pipeline_tag, json_str(f.pipeline_tag), 'pipeline_tag'),
            bad_type_flag(f.tags, tag_list, 'tags'),
            bad_type_flag(f.cardData, card, 'cardData'),
            CASE WHEN json_type(card_license) = 'ARRAY' THEN 'license_list'
                 WHEN json_type(card_license) NOT IN ('VARCHAR', 'NULL') THEN 'bad_type:cardData.license' END,
            bad_type_flag(st_total, json_int(st_total), 'safetensors.total'),
            bad_type_flag(gguf_total, json_int(gguf_total), 'gguf.total'),
            bad_type_flag(f.baseModels, base_rel, 'baseModels'),
            bad_type_flag(f.childrenModelCount, json_int(f.childrenModelCount), 'childrenModelCount'),
            bad_type_flag(f.usedStorage, json_int(f.usedStorage), 'usedStorage'),
            CASE WHEN strlen(card::VARCHAR) > 1000000 THEN 'large_card_data' END
        ], lambda x: x IS NOT NULL) AS flags
    FROM nested
)

SELECT * FROM typed
