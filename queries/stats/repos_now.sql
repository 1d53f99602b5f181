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

-- The links the sections read (declared_links, the table under repo_links): every repository's as
-- last merged, joined by key to the repositories in scope (so none of a repository deleted since).
CREATE OR REPLACE TEMP VIEW stats_links AS
SELECT *
FROM declared_links;
