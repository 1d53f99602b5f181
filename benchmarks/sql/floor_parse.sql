-- The floor of typing: one DuckDB read of the page files ($files) into the fields the crawl types
-- (floor_fields.sql), each value extracted and counted, nothing checked, derived or stored.
SELECT count(*) AS records, count(COLUMNS(* EXCLUDE (filename)))
FROM page_fields($files, 'JSON')
