// A repository's tags, listed by name.
CREATE INDEX tag_repo_name IF NOT EXISTS FOR (n:Tag) ON (n.repo, n.name)
