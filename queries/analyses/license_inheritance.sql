-- Derivatives whose license differs from their base model's: canonical ids where the taxonomy knows
-- them, else the raw value lower-cased; both sides must declare a license.
WITH licensed AS (
    SELECT
        id,
        coalesce(license_id, lower(trim(license))) AS license,
        license_family
    FROM stats_models
    WHERE license IS NOT NULL
),

pairs AS (
    SELECT
        e.child,
        child_license.license AS child_license,
        child_license.license_family AS child_family,
        e.parent,
        parent_license.license AS parent_license,
        parent_license.license_family AS parent_family,
        e.relation
    FROM lineage_edges AS e
    JOIN licensed AS child_license ON child_license.id = e.child
    JOIN licensed AS parent_license ON parent_license.id = e.parent
),

final AS (
    SELECT
        parent_license,
        child_license,
        parent_family,
        child_family,
        count(*) AS derivatives,
        count(*) FILTER (WHERE relation = 'finetune') AS finetunes,
        count(*) FILTER (WHERE relation = 'quantized') AS quantized
    FROM pairs
    WHERE child_license <> parent_license
    GROUP BY ALL
)

SELECT * FROM final
ORDER BY derivatives DESC, parent_license, child_license
LIMIT $top
