// create_branch — a new branch at a commit (a taken name fails on the unique key).
// params: $key, $repo, $name, $head
// returns: key
MATCH (c:Commit {sha: $head})
CREATE (b:Branch {key: $key, repo: $repo, name: $name, head: $head})
CREATE (b)-[:HEAD]->(c)
RETURN b.key AS key
