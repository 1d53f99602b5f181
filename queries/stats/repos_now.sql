-- The datasets and Spaces a report covers: those the Hub lists now, with canonical license. Views, not
-- temp tables, for the reason models_now.sql gives (cardData and raw would be copied).
CREATE OR REPLACE TEMP VIEW stats_datasets AS
SELECT *
FROM datasets_enriched
WHERE deleted_at IS NULL;

CREATE OR REPLACE TEMP VIEW stats_spaces AS
SELECT *
FROM spaces_enriched
WHERE deleted_at IS NULL;
