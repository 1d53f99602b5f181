-- The typed rows of the chunk being merged, shaped like the current-state table's rows (the view
-- `latest`): public, identifiable, each the newest copy of its repository (its _id) in the chunk (one
-- listed twice keeps its later copy; one on a later chunk's page is applied by that chunk, later). Older copies are dropped once, here; the
-- view then costs each statement of the merge a plain scan.
DELETE FROM typed_rows AS s
WHERE s.quarantine_reason IS NULL
  AND NOT s.is_private
  AND EXISTS (
      SELECT 1
      FROM typed_rows AS later
      WHERE later.object_id = s.object_id
        AND later.page_no > s.page_no
        AND later.quarantine_reason IS NULL
        AND NOT later.is_private
  );

-- include: latest_{repo_type}
