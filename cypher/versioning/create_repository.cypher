// create_repository — the repository node, pointing at its root commit (written before).
// A second repository of the same name fails on the unique constraint.
// params: $name, $defaultBranch, $protected (list of globs), $now, $root (the root sha)
// returns: name
MATCH (c:Commit {sha: $root})
CREATE (r:Repository {name: $name, defaultBranch: $defaultBranch, protected: $protected,
                      createdAt: $now, root: $root})
CREATE (r)-[:ROOT]->(c)
RETURN r.name AS name
