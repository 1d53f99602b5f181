-- `repo_links` as of the moment: the links the repositories listed then declared then (migration 015).
SELECT * FROM repo_links_as_of($as_of)
