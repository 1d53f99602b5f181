-- Spaces per SDK, per runtime stage and per hardware (one dimension per row group), with their
-- share and likes; a value the Hub did not give counts as '(unknown)'. The $top values of each.
WITH described AS (
    SELECT 'sdk' AS dimension, coalesce(sdk, '(unknown)') AS value, likes FROM stats_spaces
    UNION ALL
    SELECT 'runtime_stage', coalesce(runtime_stage, '(unknown)'), likes FROM stats_spaces
    UNION ALL
    SELECT 'hardware', coalesce(hardware, '(unknown)'), likes FROM stats_spaces
),

counted AS (
    SELECT
        dimension,
        value,
        count(*) AS spaces,
        round(100.0 * count(*) / sum(count(*)) OVER (PARTITION BY dimension), 2) AS share_pct,
        sum(likes)::BIGINT AS likes
    FROM described
    GROUP BY dimension, value
),

final AS (
    SELECT *
    FROM counted
    QUALIFY row_number() OVER (PARTITION BY dimension ORDER BY spaces DESC, value) <= $top
)

SELECT * FROM final
ORDER BY CASE dimension WHEN 'sdk' THEN 1 WHEN 'runtime_stage' THEN 2 ELSE 3 END, spaces DESC, value
