-- Shared by type_page.sql and type_page_records.sql, which include it after their `records` CTE
-- (page_no, fetched_at, raw: one row per element of a page's JSON array): records -> typed rows
-- shaped like typed_rows (typed_rows_models.sql). Every record survives: a value of the wrong type
-- becomes NULL plus a flag, a record without a usable id or _id gets a quarantine_reason, and raw keeps the
-- whole record (as DuckDB renders JSON: minified, so an object's text starts with `{`). Each record
-- is parsed twice: once into typed values, once for the JSON type of every field. Of cardData, only
-- the fields the merge reads are typed, and the card itself is not rendered again: it was carried to
-- the merge as text and parsed there once per field (2026-12-03: the merge's INSERT took 10-11 s of
-- CPU per million records against 16-17, and a 500k crawl's peak RSS fell by ~25 MB).
parsed AS (
    SELECT
        page_no,
        fetched_at,
        raw,
        starts_with(raw, '{') AS is_object,
        from_json(
            CASE WHEN starts_with(raw, '{') THEN raw END,
            '{"id": "VARCHAR", "_id": "VARCHAR", "author": "VARCHAR", "createdAt": "VARCHAR",
              "lastModified": "VARCHAR", "sha": "VARCHAR", "gated": "VARCHAR", "disabled": "BOOLEAN",
              "downloads": "BIGINT", "downloadsAllTime": "BIGINT", "likes": "BIGINT", "trendingScore": "DOUBLE",
              "library_name": "VARCHAR", "pipeline_tag": "VARCHAR", "tags": "VARCHAR[]",
              "cardData": {"license": "JSON", "license_name": "JSON", "base_model": "JSON", "datasets": "JSON"},
              "safetensors": {"total": "BIGINT"}, "gguf": {"total": "BIGINT"},
              "baseModels": {"relation": "VARCHAR", "models": [{"id": "VARCHAR"}]},
              "childrenModelCount": "JSON", "usedStorage": "BIGINT", "private": "BOOLEAN"}'
        ) AS v,
        -- NULL for an absent field, 'NULL' for an explicit null.
        json_type(
            CASE WHEN starts_with(raw, '{') THEN raw END,
            ['$.id', '$._id', '$.author', '$.createdAt', '$.lastModified', '$.sha', '$.gated', '$.disabled',
             '$.downloads', '$.downloadsAllTime', '$.likes', '$.trendingScore', '$.library_name',
             '$.pipeline_tag', '$.tags', '$.cardData', '$.cardData.license', '$.cardData.license_name',
             '$.safetensors.total', '$.gguf.total', '$.baseModels', '$.childrenModelCount', '$.usedStorage',
             '$.private', '$.cardData.base_model', '$.cardData.datasets']
        ) AS t
    FROM records
),

checked AS (
    -- Each value only where its JSON type is the column's (from_json alone would turn 5 into '5').
    SELECT
        page_no,
        fetched_at,
        raw,
        is_object,
        t,
        CASE WHEN t[1] = 'VARCHAR' THEN v.id END AS id,
        CASE WHEN t[2] = 'VARCHAR' THEN v._id END AS object_id,
        CASE WHEN t[3] = 'VARCHAR' THEN v.author END AS author,
        CASE WHEN t[4] = 'VARCHAR' THEN TRY_CAST(v.createdAt AS TIMESTAMPTZ)::TIMESTAMP END AS created_at,
        CASE WHEN t[5] = 'VARCHAR' THEN TRY_CAST(v.lastModified AS TIMESTAMPTZ)::TIMESTAMP END AS last_modified,
        CASE WHEN t[6] = 'VARCHAR' THEN v.sha END AS sha,
        CASE WHEN t[7] = 'BOOLEAN' OR (t[7] = 'VARCHAR' AND v.gated IN ('auto', 'manual')) THEN v.gated END AS gated,
        CASE WHEN t[8] = 'BOOLEAN' THEN v.disabled END AS disabled,
        CASE WHEN t[9] IN ('UBIGINT', 'BIGINT') THEN v.downloads END AS downloads,
        CASE WHEN t[10] IN ('UBIGINT', 'BIGINT') THEN v.downloadsAllTime END AS downloads_all_time,
        CASE WHEN t[11] IN ('UBIGINT', 'BIGINT') THEN v.likes END AS likes,
        CASE WHEN t[12] IN ('UBIGINT', 'BIGINT', 'DOUBLE') THEN v.trendingScore END AS trending_score,
        CASE WHEN t[13] = 'VARCHAR' THEN v.library_name END AS library_name,
        CASE WHEN t[14] = 'VARCHAR' THEN v.pipeline_tag END AS pipeline_tag,
        CASE WHEN t[15] = 'ARRAY' THEN v.tags END AS tags,
        v.cardData AS card,
        CASE WHEN t[19] IN ('UBIGINT', 'BIGINT') THEN v.safetensors.total END AS safetensors_total,
        CASE WHEN t[20] IN ('UBIGINT', 'BIGINT') THEN v.gguf.total END AS gguf_total,
        CASE WHEN t[21] = 'OBJECT' THEN v.baseModels END AS base,
        -- a number, or per-relation counts ({"adapter": 2, "finetune": 5}): the numbers, summed in typed
        CASE WHEN t[22] IN ('UBIGINT', 'BIGINT') THEN TRY_CAST(v.childrenModelCount AS BIGINT) END AS children_total,
        CASE WHEN t[22] = 'OBJECT' THEN list_transform(
            json_extract(v.childrenModelCount, '$.*'),
            lambda n: CASE WHEN json_type(n) IN ('UBIGINT', 'BIGINT') THEN TRY_CAST(n AS BIGINT) END
        ) END AS children_by_relation,
        CASE WHEN t[23] IN ('UBIGINT', 'BIGINT') THEN v.usedStorage END AS used_storage,
        coalesce(t[24] = 'BOOLEAN' AND v.private, false) AS is_private,
        list_filter(
            CASE WHEN t[15] = 'ARRAY' THEN v.tags END,
            lambda tag: regexp_matches(tag, '^base_model:(adapter|finetune|merge|quantized):')
        ) AS relation_tags
    FROM parsed
),

typed AS (
    SELECT
        page_no,
        fetched_at,
        raw,
        id,
        object_id,
        author,
        created_at,
        last_modified,
        sha,
        gated,
        disabled,
        downloads,
        downloads_all_time,
        likes,
        trending_score,
        library_name,
        pipeline_tag,
        tags,
        declared_license(card.license, t[17], tags) AS license,
        CASE WHEN t[18] = 'VARCHAR' THEN card.license_name ->> '$' END AS license_name,
        coalesce(safetensors_total, gguf_total) AS parameters,
        CASE
            WHEN safetensors_total IS NOT NULL THEN 'safetensors'
            WHEN gguf_total IS NOT NULL THEN 'gguf'
        END AS parameters_source,
        -- baseModels when the listing gave it, else the base_model:<relation>:<id> tags
        coalesce(
            list_transform(base.models, lambda model: model.id),
            nullif(list_transform(relation_tags, lambda tag: regexp_extract(tag, '^base_model:[a-z]+:(.+)$', 1)), [])
        ) AS base_models,
        coalesce(base.relation, regexp_extract(relation_tags[1], '^base_model:([a-z]+):', 1)) AS base_relation,
        coalesce(
            children_total,
            -- every relation's count a number (an empty object: none), else NULL and flagged
            CASE WHEN list_count(children_by_relation) = len(children_by_relation)
                THEN coalesce(list_sum(children_by_relation), 0) END
        ) AS children_model_count,
        used_storage,
        card_ids(card.base_model, t[25]) AS card_base_models,
        card_ids(card.datasets, t[26]) AS card_datasets,
        is_private,
        quarantine_reason_of(is_object, t[1], t[2]) AS quarantine_reason,
        list_filter([
            -- fields every Hub record carries when asked for
            CASE WHEN coalesce(t[3], 'NULL') = 'NULL' THEN 'missing:author' END,
            CASE WHEN coalesce(t[4], 'NULL') = 'NULL' THEN 'missing:createdAt' END,
            CASE WHEN coalesce(t[5], 'NULL') = 'NULL' THEN 'missing:lastModified' END,
            CASE WHEN coalesce(t[6], 'NULL') = 'NULL' THEN 'missing:sha' END,
            CASE WHEN coalesce(t[9], 'NULL') = 'NULL' THEN 'missing:downloads' END,
            CASE WHEN coalesce(t[11], 'NULL') = 'NULL' THEN 'missing:likes' END,
            CASE WHEN coalesce(t[15], 'NULL') = 'NULL' THEN 'missing:tags' END,
            -- present, but not readable as the column's type
            CASE WHEN t[3] <> 'NULL' AND author IS NULL THEN 'bad_type:author' END,
            CASE WHEN t[4] <> 'NULL' AND created_at IS NULL THEN 'bad_type:createdAt' END,
            CASE WHEN t[5] <> 'NULL' AND last_modified IS NULL THEN 'bad_type:lastModified' END,
            CASE WHEN t[6] <> 'NULL' AND sha IS NULL THEN 'bad_type:sha' END,
            CASE WHEN t[7] <> 'NULL' AND gated IS NULL THEN 'bad_type:gated' END,
            CASE WHEN t[8] <> 'NULL' AND disabled IS NULL THEN 'bad_type:disabled' END,
            CASE WHEN t[9] <> 'NULL' AND downloads IS NULL THEN 'bad_type:downloads' END,
            CASE WHEN t[10] <> 'NULL' AND downloads_all_time IS NULL THEN 'bad_type:downloadsAllTime' END,
            CASE WHEN t[11] <> 'NULL' AND likes IS NULL THEN 'bad_type:likes' END,
            CASE WHEN t[12] <> 'NULL' AND trending_score IS NULL THEN 'bad_type:trendingScore' END,
            CASE WHEN t[13] <> 'NULL' AND library_name IS NULL THEN 'bad_type:library_name' END,
            CASE WHEN t[14] <> 'NULL' AND pipeline_tag IS NULL THEN 'bad_type:pipeline_tag' END,
            CASE WHEN t[15] <> 'NULL' AND tags IS NULL THEN 'bad_type:tags' END,
            CASE WHEN t[16] NOT IN ('OBJECT', 'NULL') THEN 'bad_type:cardData' END,
            license_flag(t[17]),
            CASE WHEN t[19] <> 'NULL' AND safetensors_total IS NULL THEN 'bad_type:safetensors.total' END,
            CASE WHEN t[20] <> 'NULL' AND gguf_total IS NULL THEN 'bad_type:gguf.total' END,
            CASE WHEN t[21] <> 'NULL' AND base IS NULL THEN 'bad_type:baseModels' END,
            -- children_model_count: the column above (a number, or an object of numbers summed)
            CASE WHEN t[22] <> 'NULL' AND children_model_count IS NULL THEN 'bad_type:childrenModelCount' END,
            CASE WHEN t[23] <> 'NULL' AND used_storage IS NULL THEN 'bad_type:usedStorage' END,
            CASE WHEN large_card_data(raw, t[16]) THEN 'large_card_data' END
        ], lambda flag: flag IS NOT NULL) AS flags
    FROM checked
)

SELECT * FROM typed
