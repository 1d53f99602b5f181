-- The datasets, Spaces and links a report covers at $as_of: the datasets and Spaces listed then, with
-- the metadata and counters they had (datasets_as_of, spaces_as_of: migration 015) and the canonical
-- license of that metadata; the links declared then (declared_links_as_of). used_storage, card_data
-- and a Space's runtime stage are not kept in history, so they are unknown here; flags are today's.
CREATE OR REPLACE TEMP TABLE stats_datasets AS
SELECT
    past.*,
    NULL::BIGINT AS used_storage,
    NULL::JSON AS card_data,
    datasets.flags,
    license_id_of(past.license, past.license_name) AS license_id,
    license_family_of(past.license, past.license_name) AS license_family,
    commercial_use_of(past.license, past.license_name) AS commercial_use,
    osi_approved_of(past.license, past.license_name) AS osi_approved
FROM datasets_as_of($as_of) AS past
JOIN datasets USING (dataset_key);

CREATE OR REPLACE TEMP TABLE stats_spaces AS
SELECT
    past.*,
    NULL::VARCHAR AS runtime_stage,
    NULL::BIGINT AS used_storage,
    NULL::JSON AS card_data,
    spaces.flags,
    license_id_of(past.license, NULL) AS license_id,
    license_family_of(past.license, NULL) AS license_family,
    commercial_use_of(past.license, NULL) AS commercial_use,
    osi_approved_of(past.license, NULL) AS osi_approved
FROM spaces_as_of($as_of) AS past
JOIN spaces USING (space_key);

CREATE OR REPLACE TEMP TABLE stats_links AS
SELECT *
FROM declared_links_as_of($as_of);
