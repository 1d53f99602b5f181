-- `spaces_enriched` as of the moment: the report's Spaces then (queries/stats/repos_as_of.sql builds them).
SELECT * FROM stats_spaces
