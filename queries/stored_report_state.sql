-- What a `registry stats` report depends on, read from metadata and small tables only: every
-- crawl's progress (a merge commits it with the pages it applies), the schema version, the license
-- taxonomy, and each table's row count (which moves with anything else that writes rows) but the
-- publish log's: a publish would otherwise make the report it just published stale.
SELECT
    (SELECT md5(coalesce(string_agg(run::VARCHAR, '|' ORDER BY run.id), '')) FROM crawl_runs AS run) AS crawls,
    (SELECT max(version) FROM schema_migrations) AS schema_version,
    (SELECT md5(coalesce(string_agg(entry::VARCHAR, '|' ORDER BY entry::VARCHAR), '')) FROM license_map AS entry) AS taxonomy,
    (
        SELECT list((table_name, estimated_size) ORDER BY table_name)::VARCHAR
        FROM duckdb_tables()
        WHERE database_name = current_database() AND schema_name = 'main' AND NOT temporary
          AND table_name <> 'publish_runs'  -- written after each publish; no section reads it
    ) AS row_counts
