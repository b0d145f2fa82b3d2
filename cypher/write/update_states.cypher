// update_states — set the state of nodes of one kind, and record them as updated in a
// TopologyDelta (a process holding their fields forgets them).
// params: $rows: list of {id, state}, $now (ms), $deltaId (the TopologyDelta's id)
// returns: updated (list of ids that exist and were updated)
UNWIND $rows AS row
MATCH (n:/*%label*/Artifact/*%*/ {id: row.id})
SET n.state = row.state, n.updatedAt = $now
WITH collect(n.id) AS updated
FOREACH (_ IN CASE WHEN size(updated) > 0 THEN [1] ELSE [] END |
  CREATE (:TopologyDelta {id: $deltaId, updated: updated}))
RETURN updated
