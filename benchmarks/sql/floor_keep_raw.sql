-- The floor of keeping records losslessly: every element of the page files ($files) appended, as
-- its JSON text, to a table of the warehouse file; checkpointed when the connection closes. Splitting
-- a page into its records parses each body once.
CREATE TABLE kept AS
SELECT unnest(CAST(content AS JSON[])) AS raw
FROM read_text($files)
