-- Rows keyed by {key} among those that may have changed ({touched}: every row, or the rows of the
-- repositories the merge changed since the last publish): those whose content hash differs from the
-- one published (new or changed), and the published keys the warehouse no longer has. Only the
-- hashes are read from the lake.
CREATE OR REPLACE TEMP TABLE lake_changed AS
SELECT now.*
FROM (SELECT {key}, hash({columns}) AS row_hash FROM {source} AS source WHERE {touched}) AS now
LEFT JOIN (SELECT * FROM {hashes} AS source WHERE {touched}) AS published USING ({key})
WHERE published.row_hash IS DISTINCT FROM now.row_hash;

CREATE OR REPLACE TEMP TABLE lake_doomed AS
SELECT {key} FROM lake_changed
UNION ALL
SELECT {key}
FROM (SELECT {key} FROM {hashes} AS source WHERE {touched})
ANTI JOIN (SELECT {key} FROM {source} AS source WHERE {touched}) USING ({key});
