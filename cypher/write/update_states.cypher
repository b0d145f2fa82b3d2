// update_states — set the state of nodes of one kind.
// params: $rows: list of {id, state}, $now (ms)
// returns: updated (list of ids that exist and were updated)
UNWIND $rows AS row
MATCH (n:/*%label*/Artifact/*%*/ {id: row.id})
SET n.state = row.state, n.updatedAt = $now
RETURN collect(n.id) AS updated
