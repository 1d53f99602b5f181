-- Dataset records -> typed rows shaped like typed_rows (typed_rows_datasets.sql); included by
-- type_page.sql and type_page_records.sql after their `records` CTE, as typed_models.sql is (whose
-- header says how every record survives). The rules all streams share are typing_macros.sql's.
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
              "tags": "VARCHAR[]", "cardData": {"license": "JSON", "license_name": "JSON"},
              "usedStorage": "BIGINT", "private": "BOOLEAN"}'
        ) AS v,
        -- NULL for an absent field, 'NULL' for an explicit null.
        json_type(
            CASE WHEN starts_with(raw, '{') THEN raw END,
            ['$.id', '$._id', '$.author', '$.createdAt', '$.lastModified', '$.sha', '$.gated', '$.disabled',
             '$.downloads', '$.downloadsAllTime', '$.likes', '$.trendingScore', '$.tags', '$.cardData',
             '$.cardData.license', '$.cardData.license_name', '$.usedStorage', '$.private']
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
        CASE WHEN t[13] = 'ARRAY' THEN v.tags END AS tags,
        v.cardData AS card,
        CASE WHEN t[17] IN ('UBIGINT', 'BIGINT') THEN v.usedStorage END AS used_storage,
        coalesce(t[18] = 'BOOLEAN' AND v.private, false) AS is_private
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
        tags,
        declared_license(card.license, t[15], tags) AS license,
        CASE WHEN t[16] = 'VARCHAR' THEN card.license_name ->> '$' END AS license_name,
        tag_values(tags, 'task_categories:') AS task_categories,
        tag_values(tags, 'modality:') AS modalities,
        tag_values(tags, 'format:') AS formats,
        list_first(tag_values(tags, 'size_categories:')) AS size_category,
        tag_values(tags, 'language:') AS languages,
        used_storage,
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
            CASE WHEN coalesce(t[13], 'NULL') = 'NULL' THEN 'missing:tags' END,
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
            CASE WHEN t[13] <> 'NULL' AND tags IS NULL THEN 'bad_type:tags' END,
            CASE WHEN t[14] NOT IN ('OBJECT', 'NULL') THEN 'bad_type:cardData' END,
            license_flag(t[15]),
            CASE WHEN t[17] <> 'NULL' AND used_storage IS NULL THEN 'bad_type:usedStorage' END,
            CASE WHEN large_card_data(raw, t[14]) THEN 'large_card_data' END
        ], lambda flag: flag IS NOT NULL) AS flags
    FROM checked
)

SELECT * FROM typed
