-- `declared_links` as of the moment: every repository's links as declared then (queries/stats/repos_as_of.sql).
SELECT * FROM stats_links
