-- One row per `registry publish` (manual or nightly): a failed publish is kept here with its error,
-- and the next one (the next night) completes it. The lake is named without its password.
CREATE SEQUENCE publish_run_ids START 1;

CREATE TABLE publish_runs (
    id          INTEGER PRIMARY KEY DEFAULT nextval('publish_run_ids'),
    lake        VARCHAR NOT NULL,   -- the catalog, password removed
    data_path   VARCHAR NOT NULL,
    started     TIMESTAMP NOT NULL, -- UTC
    finished    TIMESTAMP NOT NULL, -- UTC
    status      VARCHAR NOT NULL,   -- finished | failed
    snapshot_id BIGINT,             -- the lake snapshot it made
    tables      VARCHAR[],          -- the lake tables it changed
    error       VARCHAR             -- secrets removed
);
