-- From history: the $top latest license changes, newest first (a model's first version is not a change).
-- A report lists a few: at 2.5M models a year of history holds tens of thousands.
WITH versions AS (
    SELECT
        model_key,
        valid_from AS changed_at,
        lag(license) OVER (PARTITION BY model_key ORDER BY valid_from) AS license_before,
        license AS license_after,
        row_number() OVER (PARTITION BY model_key ORDER BY valid_from) AS version_no
    FROM model_versions
    WHERE valid_from <= coalesce($as_of, now()::TIMESTAMP)
),

final AS (
    SELECT
        m.id,
        v.changed_at,
        v.license_before,
        v.license_after
    FROM versions AS v
    JOIN models AS m USING (model_key)
    WHERE v.version_no > 1
      AND v.license_before IS DISTINCT FROM v.license_after
)

SELECT * FROM final
ORDER BY changed_at DESC, id
LIMIT $top
