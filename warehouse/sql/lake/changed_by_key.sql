-- Rows keyed by {key}: those whose content hash differs from the one published (new or changed),
-- and the published keys the warehouse no longer has. Only the hashes are read from the lake.
CREATE OR REPLACE TEMP TABLE lake_changed AS
SELECT now.*
FROM (SELECT {key}, hash({columns}) AS row_hash FROM {source}) AS now
LEFT JOIN {hashes} AS published USING ({key})
WHERE published.row_hash IS DISTINCT FROM now.row_hash;

CREATE OR REPLACE TEMP TABLE lake_doomed AS
SELECT {key} FROM lake_changed
UNION ALL
SELECT {key} FROM {hashes} ANTI JOIN (SELECT {key} FROM {source}) USING ({key});
