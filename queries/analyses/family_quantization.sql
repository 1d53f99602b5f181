-- Families and the quantization layer: for each organisation whose models others build on, the
-- derivatives of its models over all generations (a cycle in declared lineage ends at 30), how many of
-- them are quantized conversions (declared `quantized`, or GGUF: library or tag), and how many of
-- those the organisation published itself.
WITH RECURSIVE
authors AS MATERIALIZED (
    SELECT
        id,
        author,
        library_name = 'gguf' OR list_contains(tags, 'gguf') AS is_gguf
    FROM stats_models
),

descent (organisation, descendant, relation, depth) AS (
    SELECT
        a.author,
        e.child,
        e.relation,
        1
    FROM lineage_edges AS e
    JOIN authors AS a ON a.id = e.parent
    WHERE a.author IS NOT NULL
    UNION
    SELECT
        d.organisation,
        e.child,
        e.relation,
        d.depth + 1
    FROM descent AS d
    JOIN lineage_edges AS e ON e.parent = d.descendant
    WHERE d.depth < 30
),

-- Each (organisation, derivative) once; quantized when any path reaches it as a quantization.
derivatives AS (
    SELECT
        d.organisation,
        d.descendant,
        bool_or(d.relation = 'quantized') OR any_value(coalesce(a.is_gguf, false)) AS quantized,
        any_value(a.author) = d.organisation AS by_itself
    FROM descent AS d
    LEFT JOIN authors AS a ON a.id = d.descendant
    GROUP BY d.organisation, d.descendant
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
