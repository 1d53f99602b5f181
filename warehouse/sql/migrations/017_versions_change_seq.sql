-- Each version records its repository's change_seq at the merge that opened it (warehouse/sql/
-- record_versions.sql): a version opens only where the merge changed tracked metadata, which draws a
-- new change_seq, so `registry publish` finds the versions recorded since its last publish as those
-- past the change_seq it published through, and appends them to the lake without reading it
-- (warehouse/lake_tables.py). Versions that exist now get 0: the next publish writes them all once,
-- as it does after any migration.
ALTER TABLE model_versions ADD COLUMN change_seq BIGINT DEFAULT 0;

ALTER TABLE dataset_versions ADD COLUMN change_seq BIGINT DEFAULT 0;

ALTER TABLE space_versions ADD COLUMN change_seq BIGINT DEFAULT 0;
