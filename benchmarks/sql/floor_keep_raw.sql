-- The floor of keeping records losslessly: every element of the page files ($files) appended, as
-- its JSON text, to a table of the warehouse file (compressed as the warehouse's raw is: migration
-- 001); checkpointed when the connection closes. Splitting a page into its records parses each body once.
CREATE TABLE kept (raw JSON USING COMPRESSION zstd);

INSERT INTO kept
SELECT unnest(CAST(content AS JSON[]))
FROM read_text($files)
