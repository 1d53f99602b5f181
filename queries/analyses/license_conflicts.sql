-- Licences along lineage: each (base licence, derivative licence) pair with its count, flagging the
-- pairs where the derivative claims rights its base does not grant. The rule, in one place:
--   restricted base:     the base's licence is custom (Llama, Gemma...) and the derivative's an open one;
--   non-commercial base: the base forbids commercial use and the derivative allows it;
--   copyleft base:       the base is copyleft and the derivative permissive or public domain.
-- Both must declare a licence the taxonomy knows (a family other than `none` and `unknown`).
WITH licensed AS (
    SELECT
        id,
        coalesce(license_id, lower(trim(license))) AS license,
        license_family AS family,
        commercial_use
    FROM stats_models
    WHERE license_family NOT IN ('none', 'unknown')
),

pairs AS (
    SELECT
        base.license AS base_license,
        derivative.license AS derivative_license,
        base.family AS base_family,
        derivative.family AS derivative_family,
        CASE
            WHEN base.family = 'custom-restricted'
                AND derivative.family IN ('permissive', 'public-domain', 'copyleft', 'weak-copyleft', 'responsible-ai')
                THEN 'restricted base, open derivative'
            WHEN base.family = 'non-commercial' AND derivative.commercial_use
                THEN 'non-commercial base, commercial derivative'
            WHEN base.family = 'copyleft' AND derivative.family IN ('permissive', 'public-domain')
                THEN 'copyleft base, permissive derivative'
        END AS conflict
    FROM lineage_edges AS e
    JOIN licensed AS derivative ON derivative.id = e.child
    JOIN licensed AS base ON base.id = e.parent
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
