-- Typed records of datasets listing pages (typed_datasets.sql), in memory: the pages of one merge
-- chunk, or the page staging just took. Columns as the datasets table has them (README, "Warehouse
-- schema"), plus where each record came from and what keeps it out of datasets.
CREATE OR REPLACE TEMP TABLE typed_rows (
    page_no            INTEGER NOT NULL,
    fetched_at         TIMESTAMP NOT NULL,
    id                 VARCHAR,
    object_id          VARCHAR,
    author             VARCHAR,
    created_at         TIMESTAMP,
    last_modified      TIMESTAMP,
    sha                VARCHAR,
    gated              VARCHAR,
    disabled           BOOLEAN,
    downloads          BIGINT,
    downloads_all_time BIGINT,
    likes              BIGINT,
    trending_score     DOUBLE,
    tags               VARCHAR[],
    license            VARCHAR,
    license_name       VARCHAR,
    task_categories    VARCHAR[],
    modalities         VARCHAR[],
    formats            VARCHAR[],
    size_category      VARCHAR,
    languages          VARCHAR[],
    used_storage       BIGINT,
    flags              VARCHAR[] NOT NULL,
    raw                JSON NOT NULL,
    is_private         BOOLEAN NOT NULL,   -- listed to its owner's token: not mirrored, counted
    quarantine_reason  VARCHAR             -- not NULL: cannot become a row, goes to quarantine
);
