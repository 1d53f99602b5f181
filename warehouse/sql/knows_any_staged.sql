-- Whether the warehouse has any model of the chunk being merged, deleted ones included.
SELECT EXISTS (
    SELECT 1
    FROM models
    WHERE object_id IN (SELECT object_id FROM latest)
);
