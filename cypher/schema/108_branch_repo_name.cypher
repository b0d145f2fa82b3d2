// A repository's branches, listed by name.
CREATE INDEX branch_repo_name IF NOT EXISTS FOR (n:Branch) ON (n.repo, n.name)
