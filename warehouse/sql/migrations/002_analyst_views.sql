-- What analysts need on top of the raw mirror: canonical licenses and model sizes, as documented
-- columns of the view models_enriched (README, "Warehouse schema").

-- The license taxonomy, refreshed from warehouse/license_map.csv (versioned with the code) whenever
-- the warehouse is opened for writing.
CREATE TABLE license_map (
    raw_value      VARCHAR NOT NULL,  -- a license value as the Hub gives it, lower-cased
    license_id     VARCHAR,           -- SPDX id where one exists, else a stable lower-case id
    family         VARCHAR NOT NULL,  -- permissive | copyleft | weak-copyleft | responsible-ai |
                                      -- non-commercial | custom-restricted | public-domain | unknown
    commercial_use BOOLEAN,           -- NULL where the terms are unclear
    osi_approved   BOOLEAN NOT NULL
);

-- A parameter count read from a model's name: "7B", "1.5b", "350M", "8x7B" (= 56B); NULL if none.
-- The size token must stand between separators, so "v2" or "4bit" do not count.
CREATE MACRO parameters_from_name(model_id) AS (
    WITH token AS (
        SELECT regexp_extract(
            lower(split_part(model_id, '/', -1)),
            '(?:^|[-_./ ])(?:(\d{1,3})x)?(\d{1,4}(?:\.\d{1,2})?)([kmbt])(?:$|[-_./ ])',
            ['experts', 'number', 'unit']
        ) AS t
    )
    SELECT CASE WHEN t.number <> '' THEN round(
        coalesce(TRY_CAST(nullif(t.experts, '') AS DOUBLE), 1) * TRY_CAST(t.number AS DOUBLE)
        * CASE t.unit WHEN 'k' THEN 1e3 WHEN 'm' THEN 1e6 WHEN 'b' THEN 1e9 ELSE 1e12 END
    )::BIGINT END
    FROM token
);

CREATE MACRO size_bucket(parameters) AS
    CASE
        WHEN parameters IS NULL THEN 'unknown'
        WHEN parameters < 100e6 THEN '<100M'
        WHEN parameters < 1e9 THEN '100M-1B'
        WHEN parameters < 3e9 THEN '1B-3B'
        WHEN parameters < 10e9 THEN '3B-10B'
        WHEN parameters < 30e9 THEN '10B-30B'
        WHEN parameters < 100e9 THEN '30B-100B'
        ELSE '>100B'
    END;

-- The license value to look up: cardData.license (first element if it came as a list), or
-- license_name when the license is 'other' and the name is known.
CREATE MACRO license_lookup_value(license, license_name) AS
    CASE
        WHEN starts_with(trim(license), '[') THEN lower(trim(TRY_CAST(license AS JSON) ->> '$[0]'))
        WHEN lower(trim(license)) = 'other' AND lower(trim(license_name)) IN (SELECT raw_value FROM license_map)
            THEN lower(trim(license_name))
        ELSE nullif(lower(trim(license)), '')
    END;

-- The canonical license of a (license, license_name) pair, as the taxonomy knows it: 'none' when no
-- license is declared, 'unknown' when the taxonomy does not know the value (reported, never dropped).
CREATE MACRO license_family_of(license, license_name) AS
    CASE
        WHEN license_lookup_value(license, license_name) IS NULL THEN 'none'
        ELSE coalesce(
            (SELECT family FROM license_map WHERE raw_value = license_lookup_value(license, license_name)),
            'unknown'
        )
    END;

CREATE MACRO license_id_of(license, license_name) AS
    (SELECT license_id FROM license_map WHERE raw_value = license_lookup_value(license, license_name));

CREATE MACRO commercial_use_of(license, license_name) AS
    (SELECT commercial_use FROM license_map WHERE raw_value = license_lookup_value(license, license_name));

CREATE MACRO osi_approved_of(license, license_name) AS
    (SELECT osi_approved FROM license_map WHERE raw_value = license_lookup_value(license, license_name));

-- Every model with its canonical license and best-known size.
CREATE VIEW models_enriched AS
SELECT
    * EXCLUDE (parameters, parameters_source),
    license_id_of(license, license_name) AS license_id,
    license_family_of(license, license_name) AS license_family,
    commercial_use_of(license, license_name) AS commercial_use,
    osi_approved_of(license, license_name) AS osi_approved,
    coalesce(parameters, parameters_from_name(id)) AS parameters,
    CASE
        WHEN parameters IS NOT NULL THEN parameters_source
        WHEN parameters_from_name(id) IS NOT NULL THEN 'name'
    END AS parameters_source,
    size_bucket(coalesce(parameters, parameters_from_name(id))) AS size_bucket
FROM models;
