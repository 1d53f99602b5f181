-- The newest staged row of each model (a model listed twice in one crawl keeps its later copy),
-- shaped like a models row. A view, not a table: the staged rows are never all held in memory.
CREATE OR REPLACE TEMP VIEW latest AS
SELECT
    s.* EXCLUDE (page_no, fetched_at),
    s.fetched_at AS first_seen,
    s.fetched_at AS last_seen,
    NULL::TIMESTAMP AS deleted_at
FROM stage.staged_models AS s
WHERE NOT EXISTS (
    SELECT 1
    FROM stage.staged_models AS later
    WHERE later.id = s.id
      AND later.page_no > s.page_no
)
