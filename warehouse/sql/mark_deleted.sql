-- After a complete listing: models it no longer holds are gone from the Hub (kept, with deleted_at).
UPDATE models
SET deleted_at = $finished
WHERE deleted_at IS NULL
  AND NOT EXISTS (SELECT 1 FROM latest WHERE latest.id = models.id)
