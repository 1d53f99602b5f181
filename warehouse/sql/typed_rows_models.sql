-- Typed records of listing pages (type_page.sql), in memory: the pages of one merge chunk, or the
-- page staging just took. Columns as the models table has them (README, "Warehouse schema"), plus
-- where each record came from and what keeps it out of models.
CREATE OR REPLACE TEMP TABLE typed_rows (
    page_no              INTEGER NOT NULL,
    fetched_at           TIMESTAMP NOT NULL,
    id                   VARCHAR,
    object_id            VARCHAR,
    author               VARCHAR,
    created_at           TIMESTAMP,
    last_modified        TIMESTAMP,
    sha                  VARCHAR,
    gated                VARCHAR,
    disabled             BOOLEAN,
    downloads            BIGINT,
    downloads_all_time   BIGINT,
    likes                BIGINT,
    trending_score       DOUBLE,
    library_name         VARCHAR,
    pipeline_tag         VARCHAR,
    tags                 VARCHAR[],
    license              VARCHAR,
    license_name         VARCHAR,
    parameters           BIGINT,
    parameters_source    VARCHAR,
    base_models          VARCHAR[],
    base_relation        VARCHAR,
    children_model_count BIGINT,
    used_storage         BIGINT,
    card_base_models     VARCHAR[],
    card_datasets        VARCHAR[],
    flags                VARCHAR[] NOT NULL,
    raw                  JSON NOT NULL,
    is_private           BOOLEAN NOT NULL,   -- listed to its owner's token: not mirrored, counted
    quarantine_reason    VARCHAR             -- not NULL: cannot become a model row, goes to quarantine
);
