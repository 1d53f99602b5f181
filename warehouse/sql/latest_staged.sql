-- The staged rows of pages $after_page < page_no <= $through_page, shaped like models rows, each
-- the newest copy of its model staged so far (a model listed twice keeps its later copy: one on a
-- page staged after this chunk was merged is applied by its own chunk, later).
CREATE OR REPLACE TEMP VIEW latest AS
SELECT
    s.* EXCLUDE (page_no, fetched_at),
    s.fetched_at AS first_seen,
    s.fetched_at AS last_seen,
    NULL::TIMESTAMP AS deleted_at
FROM stage.staged_models AS s
WHERE s.page_no > $after_page
  AND s.page_no <= $through_page
  AND NOT EXISTS (
      SELECT 1
      FROM stage.staged_models AS later
      WHERE later.id = s.id
        AND later.page_no > s.page_no
        AND later.page_no > $after_page  -- implied by the line above; lets DuckDB skip merged pages
  )
