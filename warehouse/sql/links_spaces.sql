    -- What each Space of the chunk declares (space_links, migration 014).
    SELECT m.space_key AS from_key, unnest(space_links(m.models, m.datasets)) AS link
    FROM spaces AS m
    JOIN chunk_repos ON chunk_repos.from_key = m.space_key
    WHERE m.last_seen >= $since
