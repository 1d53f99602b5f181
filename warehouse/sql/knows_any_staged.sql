-- Whether the warehouse has any model of the chunk being merged, deleted ones included.
SELECT EXISTS (
    SELECT 1
    FROM models
    WHERE id IN (SELECT id FROM latest)
);
