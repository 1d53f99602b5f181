-- Datasets, Spaces and the links between repositories at a moment, as models_as_of (migration 009)
-- gives models: metadata from the versions valid then, counters from the last day observed by then,
-- the id each had then. `registry stats --as-of` reads them (queries/stats/repos_as_of.sql).

-- The values of the tags starting with `prefix`, as typing gives them (warehouse/sql/typing_macros.sql:
-- a TEMP macro there, since typing also runs on the staging file): the dataset columns read from tags.
CREATE OR REPLACE MACRO tag_values_of(tags, prefix) AS
    list_transform(list_filter(tags, lambda tag: starts_with(tag, prefix)), lambda tag: tag[length(prefix) + 1:]);

-- A repository's owner under the id it had then ('owner/name': a rename may have been a transfer);
-- its author now when that id is its id now (NULL) or has no owner part.
CREATE OR REPLACE MACRO owner_of(former_id, owner_now) AS
    CASE WHEN contains(former_id, '/') THEN split_part(former_id, '/', 1) ELSE owner_now END;

-- The id a repository had at at_time, from its renames: the new id of its last rename by then, else
-- the old id of its first rename after it (NULL: the id it has now).
CREATE OR REPLACE MACRO id_then(renamed_to, renamed_from, seen_at, at_time) AS
    coalesce(
        arg_max(renamed_to, seen_at) FILTER (WHERE seen_at <= at_time),
        arg_min(renamed_from, seen_at) FILTER (WHERE seen_at > at_time)
    );

CREATE OR REPLACE MACRO datasets_as_of(at_time) AS TABLE
WITH versions AS (
    SELECT *
    FROM dataset_versions
    WHERE valid_from <= at_time
      AND (valid_to IS NULL OR valid_to > at_time)
),

counters AS (
    SELECT
        dataset_key,
        arg_max(downloads, day) AS downloads,
        arg_max(downloads_all_time, day) AS downloads_all_time,
        arg_max(likes, day) AS likes,
        arg_max(trending_score, day) AS trending_score
    FROM dataset_daily_counters
    WHERE day <= CAST(at_time AS DATE)
    GROUP BY dataset_key
),

ids_then AS (
    SELECT dataset_key, id_then(new_id, old_id, seen_at, at_time) AS id
    FROM dataset_renames
    GROUP BY dataset_key
)

SELECT
    coalesce(i.id, d.id) AS id,
    d.dataset_key,
    owner_of(i.id, d.author) AS author,
    d.created_at,
    v.* EXCLUDE (dataset_key, version_hash),
    tag_values_of(v.tags, 'task_categories:') AS task_categories,
    tag_values_of(v.tags, 'modality:') AS modalities,
    tag_values_of(v.tags, 'format:') AS formats,
    list_first(tag_values_of(v.tags, 'size_categories:')) AS size_category,
    tag_values_of(v.tags, 'language:') AS languages,
    c.* EXCLUDE (dataset_key),
    d.first_seen,
    d.deleted_at
FROM versions AS v
JOIN datasets AS d USING (dataset_key)
LEFT JOIN counters AS c USING (dataset_key)
LEFT JOIN ids_then AS i USING (dataset_key)
WHERE d.first_seen <= at_time
  AND (d.deleted_at IS NULL OR d.deleted_at > at_time);

CREATE OR REPLACE MACRO spaces_as_of(at_time) AS TABLE
WITH versions AS (
    SELECT *
    FROM space_versions
    WHERE valid_from <= at_time
      AND (valid_to IS NULL OR valid_to > at_time)
),

counters AS (
    SELECT
        space_key,
        arg_max(likes, day) AS likes,
        arg_max(trending_score, day) AS trending_score
    FROM space_daily_counters
    WHERE day <= CAST(at_time AS DATE)
    GROUP BY space_key
),

ids_then AS (
    SELECT space_key, id_then(new_id, old_id, seen_at, at_time) AS id
    FROM space_renames
    GROUP BY space_key
)

SELECT
    coalesce(i.id, s.id) AS id,
    s.space_key,
    owner_of(i.id, s.author) AS author,
    s.created_at,
    v.* EXCLUDE (space_key, version_hash),
    c.* EXCLUDE (space_key),
    s.first_seen,
    s.deleted_at
FROM versions AS v
JOIN spaces AS s USING (space_key)
LEFT JOIN counters AS c USING (space_key)
LEFT JOIN ids_then AS i USING (space_key)
WHERE s.first_seen <= at_time
  AND (s.deleted_at IS NULL OR s.deleted_at > at_time);

-- The links declared at at_time, keyed as declared_links is: a Space's from its version then, a
-- model's `dataset:` tags and baseModels from its version then; cardData is kept in no history, so
-- a model's cardData links are the last it declared (declared_links). Every repository's, listed
-- then or not: a reader joins them to the repositories in its scope.
CREATE OR REPLACE MACRO declared_links_as_of(at_time) AS TABLE
SELECT 'model' AS from_type, model_key AS from_key, link.to_type, link.to_id, lower(link.to_id) AS target, link.source
FROM (
    SELECT model_key, unnest(model_links(tags, NULL, base_models, NULL)) AS link
    FROM model_versions
    WHERE valid_from <= at_time
      AND (valid_to IS NULL OR valid_to > at_time)
)
UNION ALL
SELECT *
FROM declared_links
WHERE from_type = 'model'
  AND source = 'cardData'
UNION ALL
SELECT 'space', space_key, link.to_type, link.to_id, lower(link.to_id), link.source
FROM (
    SELECT space_key, unnest(space_links(models, datasets)) AS link
    FROM space_versions
    WHERE valid_from <= at_time
      AND (valid_to IS NULL OR valid_to > at_time)
);

-- repo_links as it was at at_time: the links of the repositories listed then, under their ids then,
-- in_mirror when a repository of the target's type listed then had that id.
CREATE OR REPLACE MACRO repo_links_as_of(at_time) AS TABLE
WITH declaring AS (
    SELECT 'model' AS from_type, model_key AS from_key, id AS from_id FROM models_as_of(at_time)
    UNION ALL
    SELECT 'space', space_key, id FROM spaces_as_of(at_time)
),

targets AS (
    SELECT DISTINCT 'model' AS to_type, lower(id) AS target FROM models_as_of(at_time)
    UNION ALL
    SELECT DISTINCT 'dataset', lower(id) FROM datasets_as_of(at_time)
)

SELECT
    links.from_type,
    declaring.from_id,
    links.to_type,
    links.to_id,
    links.source,
    targets.target IS NOT NULL AS in_mirror
FROM declared_links_as_of(at_time) AS links
JOIN declaring
    ON declaring.from_type = links.from_type
   AND declaring.from_key = links.from_key
LEFT JOIN targets
    ON targets.to_type = links.to_type
   AND targets.target = links.target;
