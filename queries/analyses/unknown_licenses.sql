-- License values the taxonomy does not know yet: what to add to warehouse/license_map.csv next.
WITH final AS (
    SELECT
        license AS license_raw,
        license_name,
        count(*) AS models
    FROM stats_models
    WHERE license_family = 'unknown'
    GROUP BY ALL
)

SELECT * FROM final
ORDER BY models DESC, license_raw, license_name
LIMIT $top
