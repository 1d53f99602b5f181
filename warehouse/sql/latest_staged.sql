-- The newest staged row of each model (a model seen twice in one crawl keeps its later copy),
-- shaped like a models row.
CREATE OR REPLACE TEMP TABLE latest AS
SELECT
    * EXCLUDE (page_no, fetched_at),
    fetched_at AS first_seen,
    fetched_at AS last_seen,
    NULL::TIMESTAMP AS deleted_at
FROM stage.staged_models
QUALIFY row_number() OVER (PARTITION BY id ORDER BY page_no DESC) = 1
