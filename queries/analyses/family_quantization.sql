-- Families and the quantization layer: for each organisation whose models others build on, the
-- derivatives of its models over all generations (a cycle in declared lineage ends at 30), how many of
-- them are quantized conversions (declared `quantized`, or GGUF: library or tag), and how many of
-- those the organisation published itself.
WITH RECURSIVE
-- Edges that can extend a walk (lineage_edges.sql): every step after the first starts from a derivative.
onward AS MATERIALIZED (
    SELECT *
    FROM lineage_edges
    WHERE parent_has_base
),

-- The walk starts from each model others build on, for its author (the organisation); each derivative
-- carries its author and GGUF flag from its edge (lineage_edges reads both ends' with the edges).
descent (organisation, descendant, relation, depth, descendant_author, descendant_is_gguf) AS (
    SELECT
        parent_author,
        child,
        relation,
        1,
        child_author,
        child_is_gguf
    FROM lineage_edges
    WHERE parent_author IS NOT NULL
    UNION
    SELECT
        d.organisation,
        e.child,
        e.relation,
        d.depth + 1,
        e.child_author,
        e.child_is_gguf
    FROM descent AS d
    JOIN onward AS e ON e.parent = d.descendant
    WHERE d.depth < 30
),

-- Each (organisation, derivative) once; quantized when any path reaches it as a quantization.
derivatives AS (
    SELECT
        organisation,
        descendant,
        bool_or(relation = 'quantized') OR any_value(coalesce(descendant_is_gguf, false)) AS quantized,
        any_value(descendant_author) = organisation AS by_itself
    FROM descent
    GROUP BY organisation, descendant
),

final AS (
    SELECT
        organisation,
        count(*) AS derivatives,
        count(*) FILTER (WHERE quantized) AS quantized,
        count(*) FILTER (WHERE quantized AND by_itself) AS quantized_by_itself,
        round(100.0 * count(*) FILTER (WHERE quantized AND by_itself)
              / nullif(count(*) FILTER (WHERE quantized), 0), 2) AS quantized_by_itself_pct
    FROM derivatives
    GROUP BY organisation
)

SELECT * FROM final
ORDER BY derivatives DESC, organisation
LIMIT $top
