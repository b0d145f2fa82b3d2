// delete_tag — remove a tag (forced; its audit entries stay, found by their ref key).
// params: $key
// returns: deleted
MATCH (t:Tag {key: $key})
DETACH DELETE t
RETURN count(*) AS deleted
