    -- What each model of the chunk declares (model_links, migration 014).
    SELECT m.model_key AS from_key, unnest(model_links(m.tags, m.card_datasets, m.base_models, m.card_base_models)) AS link
    FROM models AS m
    JOIN chunk_repos ON chunk_repos.from_key = m.model_key
    WHERE m.last_seen >= $since
