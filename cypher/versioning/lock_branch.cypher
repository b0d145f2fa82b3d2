// lock_branch — take the branch for this transaction before reading its head: Neo4j then
// holds its write lock until commit, and the embedded engine refuses the commit of the
// second of two concurrent writers, which re-runs and sees the first one's head. This is
// what makes compare-and-set on the head hold.
// params: $key (repo/name), $token (unique per transaction)
// returns: head, name (no row: no such branch)
MATCH (b:Branch {key: $key})
SET b.lock = $token
RETURN b.head AS head, b.name AS name
