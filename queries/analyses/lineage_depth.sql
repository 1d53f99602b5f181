-- How deep family trees go: for each model, the longest chain of bases above it (0 = no declared base).
-- walks holds (model, depth) when a chain of `depth` bases climbs from the model (capped at 30, which
-- also ends cycles): pairs, not (model, ancestor, depth) triples, so it stays as small as the models.
WITH RECURSIVE walks (model, depth) AS (
    SELECT DISTINCT child, 1
    FROM lineage_edges
    UNION
    SELECT e.child, w.depth + 1
    FROM walks AS w
    JOIN lineage_edges AS e ON e.parent = w.model
    WHERE w.depth < 30
),

-- Every child in lineage_edges is one of stats_models (the edges are built from them): the models
-- without a walk are the depth-0 ones, counted rather than joined.
deepest AS (
    SELECT
        model,
        max(depth) AS depth
    FROM walks
    GROUP BY model
),

final AS (
    SELECT
        depth,
        count(*) AS models
    FROM deepest
    GROUP BY depth
    UNION ALL
    SELECT
        0 AS depth,
        (SELECT count(*) FROM stats_models) - (SELECT count(*) FROM deepest) AS models
    WHERE (SELECT count(*) FROM stats_models) > (SELECT count(*) FROM deepest)
)

SELECT * FROM final
ORDER BY depth
