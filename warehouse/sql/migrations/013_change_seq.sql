-- When each repository's metadata last changed, as a position in one warehouse-wide sequence: the
-- merge draws a new one only for a row it inserts or whose columns other than the counters,
-- last_seen and deleted_at it really changes (warehouse/merge.py), so that `registry publish` reads
-- the rows past the one it published last instead of hashing every row (issue 19). A sequence, not a
-- time: pages fetched before a publish may be merged after it (a resumed crawl). Rows that exist now
-- get 0: the next publish compares them all once, as it does after any migration.
CREATE SEQUENCE repo_changes START 1;

ALTER TABLE models ADD COLUMN change_seq BIGINT DEFAULT 0;
ALTER TABLE models ALTER change_seq SET DEFAULT nextval('repo_changes');

ALTER TABLE datasets ADD COLUMN change_seq BIGINT DEFAULT 0;
ALTER TABLE datasets ALTER change_seq SET DEFAULT nextval('repo_changes');

ALTER TABLE spaces ADD COLUMN change_seq BIGINT DEFAULT 0;
ALTER TABLE spaces ALTER change_seq SET DEFAULT nextval('repo_changes');
