-- Derivatives whose license differs from their base model's: canonical ids where the taxonomy knows
-- them, else the raw value lower-cased; both sides must declare a license.
-- Each end's licence comes with its edge (lineage_edges.sql).
WITH pairs AS (
    SELECT
        child,
        child_license,
        child_license_family AS child_family,
        parent,
        parent_license,
        parent_license_family AS parent_family,
        relation
    FROM lineage_edges
    WHERE child_license_declared
      AND parent_license_declared
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
