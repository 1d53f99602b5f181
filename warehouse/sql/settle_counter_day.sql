-- One finished day of {changes_table} written again in counter order (migration 016 says why):
-- the rows are the same, in another order. A day settled once and written to later (a crawl resumed
-- the next day) keeps its later rows where they were appended.
CREATE OR REPLACE TEMP TABLE settling AS
SELECT *
FROM {changes_table}
WHERE day = $day;

DELETE FROM {changes_table}
WHERE day = $day;

INSERT INTO {changes_table}
SELECT *
FROM settling
ORDER BY {counter_columns}, {key};

INSERT INTO counter_days_settled VALUES ('{repo_type}', $day);

DROP TABLE settling;
