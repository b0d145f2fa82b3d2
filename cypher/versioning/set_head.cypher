// set_head — move a branch from $expected to $to (compare-and-set; the branch is locked).
// params: $key, $expected, $to
// returns: moved (1 when moved, 0 when the head was not $expected)
MATCH (b:Branch {key: $key})
WHERE b.head = $expected
MATCH (c:Commit {sha: $to})
OPTIONAL MATCH (b)-[h:HEAD]->()
DELETE h
WITH DISTINCT b, c
CREATE (b)-[:HEAD]->(c)
SET b.head = $to
RETURN count(b) AS moved
