-- The records page_records.sql split from a batch of staged pages -> typed rows appended to TEMP
-- table typed_rows, in one statement: planning the typing costs ~7 ms, as much as typing 300
-- records, so it is planned once a batch of pages (warehouse/page_typing.py: TYPING_BATCH_BYTES),
-- not once a page.
INSERT INTO typed_rows BY NAME
WITH records AS (
    SELECT page_no, fetched_at, raw
    FROM page_records
),

-- include: typed_{repo_type}
