-- One listing page (a JSON array of records of one stream, $body) -> typed rows appended to TEMP table
-- typed_rows, with the page's $page_no and $fetched_at. The fallback of type_page_records.sql.
INSERT INTO typed_rows BY NAME
WITH records AS (
    SELECT $page_no AS page_no, $fetched_at AS fetched_at, unnest(CAST($body AS JSON[])) AS raw
),

-- include: typed_{repo_type}
