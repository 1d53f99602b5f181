-- A table published in two parts (metadata that rarely changes, and the columns every crawl moves),
-- seen by analysts as one, with the warehouse's columns in the warehouse's order.
CREATE OR REPLACE VIEW lake.{name} AS
SELECT {columns}
FROM lake.{stable} AS stable
JOIN lake.{volatile} AS volatile USING ({key})
