-- The fields the crawl types (crawler/listing.py's expand), read from page files by one read_json:
-- the typing both floors share (floor_parse.sql, floor_store.sql). A value that does not fit its
-- type is read as NULL (a floor, not a crawl). cardData is read as `card_type`: the parse floor reads
-- it whole ('JSON'), as it always has; the storing floor only the fields the crawl types.
CREATE OR REPLACE TEMP MACRO page_fields(files, card_type) AS TABLE
SELECT *
FROM read_json(
    files,
    format = 'array',
    filename = true,
    ignore_errors = true,
    columns = {
        id: 'VARCHAR', _id: 'VARCHAR', author: 'VARCHAR', createdAt: 'TIMESTAMPTZ', lastModified: 'TIMESTAMPTZ',
        sha: 'VARCHAR', gated: 'VARCHAR', disabled: 'BOOLEAN', private: 'BOOLEAN', downloads: 'BIGINT',
        downloadsAllTime: 'BIGINT', likes: 'BIGINT', trendingScore: 'DOUBLE', library_name: 'VARCHAR',
        pipeline_tag: 'VARCHAR', tags: 'VARCHAR[]', cardData: card_type, safetensors: 'STRUCT(total BIGINT)',
        gguf: 'STRUCT(total BIGINT)', baseModels: 'STRUCT(relation VARCHAR, models STRUCT(id VARCHAR)[])',
        childrenModelCount: 'BIGINT', usedStorage: 'BIGINT'
    }
)
