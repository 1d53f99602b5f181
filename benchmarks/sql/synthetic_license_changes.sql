-- One license change in the past year for 1 % of models: an earlier version with another license,
-- which the current version replaced on a day drawn per model.
CREATE OR REPLACE TEMP TABLE changed AS
SELECT
    model_key,
    valid_from AS first_valid_from,
    CAST($last_day AS DATE) - CAST(1 + hash(model_key) % ($days - 1) AS INTEGER) AS changed_on,
    license
FROM model_versions
WHERE valid_to IS NULL
  AND hash(model_key, 'license') % 100 = 0;

INSERT INTO model_versions
SELECT
    v.model_key,
    CAST($last_day AS DATE) - CAST($days AS INTEGER) AS valid_from,
    c.changed_on AS valid_to,
    v.sha,
    CASE WHEN c.license = 'mit' THEN 'apache-2.0' ELSE 'mit' END AS license,
    v.* EXCLUDE (model_key, valid_from, valid_to, sha, license)
FROM model_versions AS v
JOIN changed AS c USING (model_key)
WHERE v.valid_to IS NULL;

UPDATE model_versions AS v
SET valid_from = c.changed_on
FROM changed AS c
WHERE v.model_key = c.model_key
  AND v.valid_to IS NULL
  AND v.valid_from = c.first_valid_from;
