-- Replace every row of the repositories the merge changed since the last publish ({touched}: for a
-- table that follows repository tables, their versions or links): deleted from the lake with their
-- hashes, and written again from the warehouse (lake_changed, from touched_by_key.sql). A row the
-- warehouse no longer has (a link a repository dropped) goes with them, and no published hash is
-- read. The first statement first: warehouse/lake_sync.py takes its count as the rows deleted.
DELETE FROM {target} AS source WHERE {touched};

DELETE FROM {hashes} AS source WHERE {touched};

INSERT INTO {target}
SELECT {columns}
FROM {source} AS source
WHERE {touched};

INSERT INTO {hashes}
SELECT {key}, row_hash FROM lake_changed;
