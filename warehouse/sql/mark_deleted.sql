-- After a complete listing: models it no longer holds are gone from the Hub (kept, with deleted_at).
UPDATE models
SET deleted_at = $finished
WHERE deleted_at IS NULL
  AND NOT EXISTS (SELECT 1 FROM stage.staged_models AS s WHERE s.id = models.id)
