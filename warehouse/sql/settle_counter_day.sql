-- One finished day of {changes_table} written again in counter order (migration 016 says why):
-- the rows are the same, in another order. The copy is appended first, then the rows written before
-- it ($written_before: the table's largest rowid then) are deleted: no copy held aside, so a day of a
-- full crawl (every repository) sorts within the memory cap, spilling if it must. A day settled once
-- and written to later (a crawl resumed the next day) keeps its later rows where they were appended.
INSERT INTO {changes_table}
SELECT *
FROM {changes_table}
WHERE day = $day
ORDER BY {counter_columns}, {key};

DELETE FROM {changes_table}
WHERE day = $day
  AND rowid <= $written_before;

INSERT INTO counter_days_settled VALUES ('{repo_type}', $day);
