-- Licences along lineage: each (base licence, derivative licence) pair with its count, flagging the
-- pairs where the derivative claims rights its base does not grant. The rule, in one place:
--   restricted base:     the base's licence is custom (Llama, Gemma...) and the derivative's an open one;
--   non-commercial base: the base forbids commercial use and the derivative allows it;
--   copyleft base:       the base is copyleft and the derivative permissive or public domain.
-- Both must declare a licence the taxonomy knows (a family other than `none` and `unknown`).
-- Each end's licence comes with its edge (lineage_edges.sql).
WITH pairs AS (
    SELECT
        parent_license AS base_license,
        child_license AS derivative_license,
        parent_license_family AS base_family,
        child_license_family AS derivative_family,
        CASE
            WHEN parent_license_family = 'custom-restricted'
                AND child_license_family IN ('permissive', 'public-domain', 'copyleft', 'weak-copyleft', 'responsible-ai')
                THEN 'restricted base, open derivative'
            WHEN parent_license_family = 'non-commercial' AND child_commercial_use
                THEN 'non-commercial base, commercial derivative'
            WHEN parent_license_family = 'copyleft' AND child_license_family IN ('permissive', 'public-domain')
                THEN 'copyleft base, permissive derivative'
        END AS conflict
    FROM lineage_edges
    WHERE parent_license_family NOT IN ('none', 'unknown')
      AND child_license_family NOT IN ('none', 'unknown')
),

final AS (
    SELECT
        base_license,
        derivative_license,
        base_family,
        derivative_family,
        count(*) AS derivatives,
        conflict IS NOT NULL AS conflicting,
        conflict
    FROM pairs
    GROUP BY ALL
)

SELECT * FROM final
ORDER BY conflicting DESC, derivatives DESC, base_license, derivative_license
LIMIT $top
