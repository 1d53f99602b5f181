-- The links the chunk's {repo_type} declare (declared_links, migration 014): theirs rewritten, no
-- other repository's read. Every row just merged has last_seen >= $since (warehouse/merge.py).
-- Called for chunks of full records only: a counters listing carries no declaration. Inserted in the
-- chunk's order, unsorted: ORDER BY took 40 % of this file's CPU at 200k models.
CREATE OR REPLACE TEMP TABLE chunk_repos AS
SELECT m.{key} AS from_key
FROM {table} AS m
JOIN latest USING (object_id)
WHERE m.last_seen >= $since;

DELETE FROM declared_links
WHERE from_type = '{link_from}'
  AND from_key IN (SELECT from_key FROM chunk_repos);

INSERT INTO declared_links
SELECT '{link_from}', from_key, link.to_type, link.to_id, lower(link.to_id), link.source
FROM (
-- include: links_{repo_type}
);
