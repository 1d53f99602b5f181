-- Upsert the crawl's models into the current state; first_seen survives, a returning model is undeleted.
-- Models are matched by _id (a renamed model keeps its row; record_renames.sql logs the rename first).
-- For a chunk of models the warehouse has none of, insert_models.sql does the same for less.
MERGE INTO models AS m
USING latest AS s
ON m.object_id = s.object_id
WHEN MATCHED THEN UPDATE SET
    id = s.id,
    author = s.author,
    created_at = s.created_at,
    last_modified = s.last_modified,
    sha = s.sha,
    gated = s.gated,
    disabled = s.disabled,
    downloads = s.downloads,
    downloads_all_time = s.downloads_all_time,
    likes = s.likes,
    trending_score = s.trending_score,
    library_name = s.library_name,
    pipeline_tag = s.pipeline_tag,
    tags = s.tags,
    license = s.license,
    license_name = s.license_name,
    parameters = s.parameters,
    parameters_source = s.parameters_source,
    base_models = s.base_models,
    base_relation = s.base_relation,
    children_model_count = s.children_model_count,
    used_storage = s.used_storage,
    card_data = s.card_data,
    card_base_models = s.card_base_models,
    license_key = s.license_key,
    license_name_key = s.license_name_key,
    name_parameters = s.name_parameters,
    flags = s.flags,
    raw = s.raw,
    last_seen = s.last_seen,
    deleted_at = NULL
WHEN NOT MATCHED THEN INSERT BY NAME
