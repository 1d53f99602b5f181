-- A table published in two parts (metadata that rarely changes, and the columns every crawl moves),
-- seen by analysts as one, with the warehouse's columns in the warehouse's order. The metadata part
-- keeps a repository's superseded rows until housekeeping: joined on the key and the change_seq the
-- state part holds, each repository's current one is taken.
CREATE OR REPLACE VIEW lake.{name} AS
SELECT {columns}
FROM lake.{stable} AS stable
JOIN lake.{volatile} AS volatile USING ({key})
