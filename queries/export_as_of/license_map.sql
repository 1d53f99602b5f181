-- The license taxonomy is reference data, not history: today's.
SELECT * FROM license_map
