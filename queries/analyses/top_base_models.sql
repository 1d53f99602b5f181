-- Which base models spawn the most derivatives: direct children, and all descendants through any
-- number of generations (a cycle in declared lineage ends at 30 generations).
WITH RECURSIVE
-- Edges that can extend a chain (lineage_edges.sql). The walk joins only these (a third of all
-- edges): joining all of them rebuilt a hash table of every edge each generation.
onward AS MATERIALIZED (
    SELECT parent, child
    FROM lineage_edges
    WHERE parent_has_base
),

-- Only chains go deeper than one generation: the walk starts from the edges whose child has
-- children of its own, and every other edge is a direct child and nothing more.
chains (base_model, descendant, depth) AS (
    SELECT parent, child, 1
    FROM lineage_edges
    WHERE child IN (SELECT parent FROM onward)
    UNION
    SELECT d.base_model, e.child, d.depth + 1
    FROM chains AS d
    JOIN onward AS e ON e.parent = d.descendant
    WHERE d.depth < 30
),

descendants AS (
    SELECT parent AS base_model, child AS descendant, 1 AS depth
    FROM lineage_edges
    UNION ALL
    SELECT *
    FROM chains
    WHERE depth > 1
),

-- Each (base model, descendant) pair once, then counted per base model: faster than count(DISTINCT).
pairs AS (
    SELECT base_model, descendant, bool_or(depth = 1) AS is_direct, max(depth) AS deepest
    FROM descendants
    GROUP BY base_model, descendant
),

counted AS (
    SELECT
        base_model,
        count(*) FILTER (WHERE is_direct) AS direct_derivatives,
        count(*) AS all_derivatives,
        max(deepest) AS generations
    FROM pairs
    GROUP BY base_model
),

ranked AS (
    SELECT *
    FROM counted
    ORDER BY all_derivatives DESC, direct_derivatives DESC, base_model
    LIMIT $top
),

-- Direct children by relation, for the ranked base models only (each child once: see lineage_edges.sql).
relations AS (
    SELECT
        parent AS base_model,
        count(DISTINCT child) FILTER (WHERE relation = 'finetune') AS finetunes,
        count(DISTINCT child) FILTER (WHERE relation = 'adapter') AS adapters,
        count(DISTINCT child) FILTER (WHERE relation = 'quantized') AS quantized,
        count(DISTINCT child) FILTER (WHERE relation = 'merge') AS merges
    FROM lineage_edges
    WHERE parent IN (SELECT base_model FROM ranked)
    GROUP BY parent
),

final AS (
    SELECT
        ranked.*,
        coalesce(relations.finetunes, 0) AS finetunes,
        coalesce(relations.adapters, 0) AS adapters,
        coalesce(relations.quantized, 0) AS quantized,
        coalesce(relations.merges, 0) AS merges
    FROM ranked
    LEFT JOIN relations USING (base_model)
)

SELECT * FROM final
ORDER BY all_derivatives DESC, direct_derivatives DESC, base_model
