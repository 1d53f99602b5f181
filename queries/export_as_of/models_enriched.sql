-- `models_enriched` as of the moment: the report's models then (queries/stats/models_as_of.sql builds them).
SELECT * FROM stats_models
