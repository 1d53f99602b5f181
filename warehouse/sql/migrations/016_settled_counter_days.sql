-- The days whose stored counters changes have been written again in counter order (issue 21, history
-- that costs what changes). A crawl appends a day's changes chunk by chunk, each in key order, so a
-- column's neighbouring values come from repositories of every size and DuckDB's bit-packing (one
-- width per 2,048 values) pays the widest of them: 10.3 bytes a stored row at 1M models. Once a day
-- is over, its rows are rewritten in counter order (warehouse/settle.py): neighbours are alike and a
-- row costs 4.6 bytes. The days before this migration stay as they were written.
CREATE TABLE counter_days_settled (
    repo_type VARCHAR NOT NULL,  -- models | datasets | spaces
    day       DATE NOT NULL
);

INSERT INTO counter_days_settled
SELECT DISTINCT repo_type, day
FROM counter_days;
