-- A batch of a merge chunk's staged pages, read from their files ($files, with their $page_nos and
-- $fetched_ats in the same order) -> typed rows appended to TEMP table typed_rows, in one statement:
-- planning the typing costs ~7 ms, as much as typing 300 records, so it is planned once a batch of
-- pages (warehouse/page_typing.py: TYPING_BATCH_BYTES), not once a page. read_text fails on a body that is not UTF-8; a missing file yields no row.
INSERT INTO typed_rows BY NAME
WITH files AS (
    -- A scalar lookup, not a join: a join could build its hash table on the bodies.
    SELECT list_position($files, filename) AS position, content
    FROM read_text($files)
),

records AS (
    SELECT $page_nos[position] AS page_no, $fetched_ats[position] AS fetched_at, unnest(CAST(content AS JSON[])) AS raw
    FROM files
),

-- include: typed_{repo_type}
