// create_tag — a tag on a commit; tags are create-once (a taken name fails on the key).
// params: $key, $repo, $name, $target
// returns: key
MATCH (c:Commit {sha: $target})
CREATE (t:Tag {key: $key, repo: $repo, name: $name, target: $target})
CREATE (t)-[:TAGS]->(c)
RETURN t.key AS key
