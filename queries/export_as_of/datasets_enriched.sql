-- `datasets_enriched` as of the moment: the report's datasets then (queries/stats/repos_as_of.sql builds them).
SELECT * FROM stats_datasets
