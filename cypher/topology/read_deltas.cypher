// read_deltas — the delta log's state and the deltas a topology index has not applied yet.
// params: $key (the log node's key), $floor (every delta with a smaller id is applied),
//         $applied (ids above the floor already applied)
// returns: epoch, prunedBefore (null when the log node is missing: the graph was wiped),
//          and parallel lists, one entry per delta, oldest first: id, artifact, execution,
//          event (each delta's own parallel lists of edges)
OPTIONAL MATCH (log:TopologyLog {key: $key})
OPTIONAL MATCH (d:TopologyDelta)
  WHERE d.id > $floor AND NOT d.id IN $applied
WITH log, d
  ORDER BY d.id
RETURN log.epoch AS epoch, log.prunedBefore AS prunedBefore, collect(d.id) AS id,
       collect(d.artifact) AS artifact, collect(d.execution) AS execution,
       collect(d.event) AS event
