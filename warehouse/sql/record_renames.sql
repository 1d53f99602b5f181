-- A repository listed under another id than the warehouse has for its _id was renamed on the Hub:
-- logged before the merge gives its row the new id. The old id stays findable (lineage, *_as_of).
INSERT INTO {renames_table}
SELECT
    m.{key},
    m.id AS old_id,
    s.id AS new_id,
    s.last_seen AS seen_at
FROM {table} AS m
JOIN latest AS s USING (object_id)
WHERE m.id <> s.id
ORDER BY m.{key};
