-- The floor of typing: one DuckDB read of the page files ($files) into the fields the crawl types
-- (crawler/listing.py's expand), each value extracted and counted, nothing checked, derived or
-- stored. A record whose values do not fit these types is skipped (a floor, not a crawl).
SELECT count(*) AS records, count(COLUMNS(* EXCLUDE (filename)))
FROM read_json(
    $files,
    format = 'array',
    filename = true,
    ignore_errors = true,
    columns = {
        id: 'VARCHAR', _id: 'VARCHAR', author: 'VARCHAR', createdAt: 'TIMESTAMPTZ', lastModified: 'TIMESTAMPTZ',
        sha: 'VARCHAR', gated: 'VARCHAR', disabled: 'BOOLEAN', private: 'BOOLEAN', downloads: 'BIGINT',
        downloadsAllTime: 'BIGINT', likes: 'BIGINT', trendingScore: 'DOUBLE', library_name: 'VARCHAR',
        pipeline_tag: 'VARCHAR', tags: 'VARCHAR[]', cardData: 'JSON', safetensors: 'STRUCT(total BIGINT)',
        gguf: 'STRUCT(total BIGINT)', baseModels: 'STRUCT(relation VARCHAR, models STRUCT(id VARCHAR)[])',
        childrenModelCount: 'BIGINT', usedStorage: 'BIGINT'
    }
)
