-- Which base models spawn the most derivatives: direct children, and all descendants through any
-- number of generations (cycles in declared lineage are cut by the set semantics of UNION).
WITH RECURSIVE descendants (base_model, descendant, depth) AS (
    SELECT parent, child, 1
    FROM lineage_edges
    UNION
    SELECT d.base_model, e.child, d.depth + 1
    FROM descendants AS d
    JOIN lineage_edges AS e ON e.parent = d.descendant
    WHERE d.depth < 30
),

counted AS (
    SELECT
        base_model,
        count(DISTINCT descendant) FILTER (WHERE depth = 1) AS direct_derivatives,
        count(DISTINCT descendant) AS all_derivatives,
        max(depth) AS generations
    FROM descendants
    GROUP BY base_model
),

final AS (
    SELECT
        counted.*,
        (SELECT count(*) FROM lineage_edges AS e WHERE e.parent = counted.base_model AND e.relation = 'finetune')
            AS finetunes,
        (SELECT count(*) FROM lineage_edges AS e WHERE e.parent = counted.base_model AND e.relation = 'adapter')
            AS adapters,
        (SELECT count(*) FROM lineage_edges AS e WHERE e.parent = counted.base_model AND e.relation = 'quantized')
            AS quantized,
        (SELECT count(*) FROM lineage_edges AS e WHERE e.parent = counted.base_model AND e.relation = 'merge')
            AS merges
    FROM counted
)

SELECT * FROM final
ORDER BY all_derivatives DESC, direct_derivatives DESC, base_model
LIMIT $top
