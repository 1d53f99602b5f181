-- The models a report covers: those the Hub lists now, with canonical license and size.
CREATE OR REPLACE TEMP VIEW stats_models AS
SELECT *
FROM models_enriched
WHERE deleted_at IS NULL
