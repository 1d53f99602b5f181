-- The datasets and Spaces listed at $as_of: seen by then and not yet deleted, with their current
-- metadata (their history is not replayed, unlike models_as_of). Views over a one-row moment table,
-- since a view cannot hold a parameter.
CREATE OR REPLACE TEMP TABLE stats_moment AS
SELECT $as_of::TIMESTAMP AS moment;

CREATE OR REPLACE TEMP VIEW stats_datasets AS
SELECT datasets_enriched.*
FROM datasets_enriched, stats_moment
WHERE datasets_enriched.first_seen <= stats_moment.moment
  AND (datasets_enriched.deleted_at IS NULL OR datasets_enriched.deleted_at > stats_moment.moment);

CREATE OR REPLACE TEMP VIEW stats_spaces AS
SELECT spaces_enriched.*
FROM spaces_enriched, stats_moment
WHERE spaces_enriched.first_seen <= stats_moment.moment
  AND (spaces_enriched.deleted_at IS NULL OR spaces_enriched.deleted_at > stats_moment.moment);

-- Today's links (none of a repository deleted since), to the repositories in scope then.
CREATE OR REPLACE TEMP VIEW stats_links AS
SELECT declared_links.*
FROM declared_links
WHERE (from_type = 'model' AND from_key IN (SELECT model_key FROM models WHERE deleted_at IS NULL))
   OR (from_type = 'space' AND from_key IN (SELECT space_key FROM spaces WHERE deleted_at IS NULL));
