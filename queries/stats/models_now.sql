-- The models a report covers: those the Hub lists now, with canonical license and size. A view, not a
-- temp table: materialized, cardData alone (up to MBs a model) ran out of 256 MB at 2.5M models.
CREATE OR REPLACE TEMP VIEW stats_models AS
SELECT *
FROM models_enriched
WHERE deleted_at IS NULL
