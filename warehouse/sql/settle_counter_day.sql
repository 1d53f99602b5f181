-- A slice of one finished day of {changes_table} (its rows of repositories $first_key to $last_key)
-- written again in counter order (migration 016 says why): the same rows, in another order. The
-- copy is appended first, then the rows written before it ($written_before: the table's largest
-- rowid then) are deleted. A slice is at most SETTLE_SLICE_ROWS rows (warehouse/settle.py), so it
-- sorts within the writer's memory cap. A day settled once and written to later (a crawl resumed
-- the next day) keeps its later rows where they were appended.
INSERT INTO {changes_table}
SELECT *
FROM {changes_table}
WHERE day = $day
  AND {key} BETWEEN $first_key AND $last_key
ORDER BY {counter_columns}, {key};

DELETE FROM {changes_table}
WHERE day = $day
  AND {key} BETWEEN $first_key AND $last_key
  AND rowid <= $written_before;
