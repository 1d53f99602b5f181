-- How deep family trees go: for each model, the longest chain of bases above it (0 = no declared base).
WITH RECURSIVE ancestry (model, ancestor, depth) AS (
    SELECT child, parent, 1
    FROM lineage_edges
    UNION
    SELECT a.model, e.parent, a.depth + 1
    FROM ancestry AS a
    JOIN lineage_edges AS e ON e.child = a.ancestor
    WHERE a.depth < 30
),

model_depth AS (
    SELECT
        m.id,
        coalesce(max(a.depth), 0) AS depth
    FROM stats_models AS m
    LEFT JOIN ancestry AS a ON a.model = m.id
    GROUP BY m.id
),

final AS (
    SELECT
        depth,
        count(*) AS models
    FROM model_depth
    GROUP BY depth
)

SELECT * FROM final
ORDER BY depth
