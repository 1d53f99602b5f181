-- A batch of a merge chunk's staged pages, read from their files ($files, with their $page_nos and
-- $fetched_ats in the same order) -> TEMP table page_records, one row per element of each page's JSON
-- array. Kept apart from the typing (type_page_records.sql): splitting the bodies holds them all and
-- their parse at once, typing holds a vector's records' parses; in one statement both were held
-- together, and a page with a few MB-sized records ran out of memory. read_text fails on a body that
-- is not UTF-8; a missing file yields no row.
CREATE OR REPLACE TEMP TABLE page_records AS
WITH files AS (
    -- A scalar lookup, not a join: a join could build its hash table on the bodies.
    SELECT list_position($files, filename) AS position, content
    FROM read_text($files)
)

SELECT $page_nos[position] AS page_no, $fetched_ats[position] AS fetched_at, unnest(CAST(content AS JSON[])) AS raw
FROM files
