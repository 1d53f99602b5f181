-- The tables and views an analyst reads: the warehouse's own (bare names), then the kept report's
-- (`report.<section>`).
WITH relations AS (
    SELECT
        schema_name,
        table_name AS name
    FROM duckdb_tables()
    WHERE database_name = current_database()

    UNION ALL

    SELECT
        schema_name,
        view_name AS name
    FROM duckdb_views()
    WHERE database_name = current_database() AND NOT internal
),

final AS (
    SELECT
        CASE WHEN schema_name = 'main' THEN name ELSE schema_name || '.' || name END AS relation,
        schema_name = 'main' AS analyst_table
    FROM relations
)

SELECT relation FROM final
ORDER BY NOT analyst_table, relation
