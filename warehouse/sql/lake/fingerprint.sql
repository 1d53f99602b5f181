-- A table's content as one value (row count and the sum of row hashes: order does not matter),
-- compared between the warehouse and the lake to skip what has not changed.
SELECT count(*), coalesce(sum(hash({columns})), 0)::HUGEINT
FROM {source}
WHERE {condition}
