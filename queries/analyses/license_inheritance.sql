-- Derivatives whose license differs from their base model's (both known, compared case-insensitively).
WITH licensed AS (
    SELECT
        id,
        lower(trim(license)) AS license
    FROM stats_models
    WHERE license IS NOT NULL
),

pairs AS (
    SELECT
        e.child,
        child_license.license AS child_license,
        e.parent,
        parent_license.license AS parent_license,
        e.relation
    FROM lineage_edges AS e
    JOIN licensed AS child_license ON child_license.id = e.child
    JOIN licensed AS parent_license ON parent_license.id = e.parent
),

final AS (
    SELECT
        parent_license,
        child_license,
        count(*) AS derivatives,
        count(*) FILTER (WHERE relation = 'finetune') AS finetunes,
        count(*) FILTER (WHERE relation = 'quantized') AS quantized
    FROM pairs
    WHERE child_license <> parent_license
    GROUP BY parent_license, child_license
)

SELECT * FROM final
ORDER BY derivatives DESC, parent_license, child_license
LIMIT $top
