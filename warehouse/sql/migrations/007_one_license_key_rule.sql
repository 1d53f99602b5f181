-- license_lookup_value() (migration 002) normalized the license itself, the same way as
-- license_key_of() (migration 006): one rule now, used by the macros and by what merges store.
CREATE OR REPLACE MACRO license_lookup_value(license, license_name) AS
    CASE
        WHEN lower(trim(license)) = 'other' AND lower(trim(license_name)) IN (SELECT raw_value FROM license_map)
            THEN lower(trim(license_name))
        ELSE license_key_of(license)
    END;
