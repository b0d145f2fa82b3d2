// History walks (log, merge base) read a repository's commits by generation windows.
CREATE INDEX commit_repo_generation IF NOT EXISTS FOR (n:Commit) ON (n.repo, n.generation)
