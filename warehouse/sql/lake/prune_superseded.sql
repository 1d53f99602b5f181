-- Housekeeping (warehouse/lake_maintain.py): delete the metadata rows later publishes superseded.
-- A publish appends a repository's metadata under its new change_seq and leaves the older row
-- (warehouse/lake_tables.py, Part.appended); the row the state table names is the current one. A
-- superseded row stays superseded (change_seq only grows), so this is right whenever it runs, even
-- beside a publish; the snapshots before it still hold the rows for time travel.
DELETE FROM {metadata} AS m
WHERE NOT EXISTS (
    SELECT 1
    FROM {state} AS s
    WHERE s."{key}" = m."{key}" AND s."{changes}" = m."{changes}"
)
