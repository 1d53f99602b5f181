-- Whether the warehouse has any repository of the chunk being merged, deleted ones included.
SELECT EXISTS (
    SELECT 1
    FROM {table}
    WHERE object_id IN (SELECT object_id FROM latest)
);
