-- A history published as recorded (warehouse/lake_tables.py, Published.ends): each row ends where its
-- repository's next row starts, so its end column is computed here rather than written again into
-- the lake when the next row comes; the warehouse's columns, in the warehouse's order.
CREATE OR REPLACE VIEW lake.{name} AS
SELECT {columns}
FROM lake.{recorded}
