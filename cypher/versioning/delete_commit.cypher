// delete_commit — remove a commit that nothing depends on (checked before, in the same
// transaction); its tree and blobs stay, shared with other commits or collected later.
// params: $sha
// returns: deleted
MATCH (c:Commit {sha: $sha})
DETACH DELETE c
RETURN count(*) AS deleted
