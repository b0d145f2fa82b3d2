// delete_branch — remove a branch; its audit entries stay (found by their ref key).
// params: $key
// returns: deleted
MATCH (b:Branch {key: $key})
DETACH DELETE b
RETURN count(*) AS deleted
