-- The models a report covers: those the Hub lists now, with canonical license and size. Built once
-- per report (not a view) so that the sections do not each redo the license lookups and name parsing.
CREATE OR REPLACE TEMP TABLE stats_models AS
SELECT * EXCLUDE (raw)
FROM models_enriched
WHERE deleted_at IS NULL
