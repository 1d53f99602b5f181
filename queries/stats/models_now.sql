-- The models a report covers: those the Hub lists now.
CREATE OR REPLACE TEMP VIEW stats_models AS
SELECT *
FROM models
WHERE deleted_at IS NULL
