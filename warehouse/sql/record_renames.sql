-- A model listed under another id than the warehouse has for its _id was renamed on the Hub: logged
-- before the merge gives its row the new id. The old id stays findable (lineage, models_as_of).
INSERT INTO model_renames
SELECT
    m.model_key,
    m.id AS old_id,
    s.id AS new_id,
    s.last_seen AS seen_at
FROM models AS m
JOIN latest AS s USING (object_id)
WHERE m.id <> s.id
ORDER BY m.model_key;
