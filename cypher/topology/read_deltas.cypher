// read_deltas — the delta log's state and the deltas a topology index has not applied yet.
// params: $key (the log node's key), $floor (every delta with a smaller id is applied),
//         $applied (ids above the floor already applied)
// returns: epoch, prunedBefore (null when the log node is missing: the graph was wiped),
//          and parallel lists, one entry per delta, oldest first: id, artifact, execution,
//          event (each delta's own parallel lists of edges), member, context (its
//          memberships), child, parent (its parent links); a list a delta lacks is empty
OPTIONAL MATCH (log:TopologyLog {key: $key})
OPTIONAL MATCH (d:TopologyDelta)
  WHERE d.id > $floor AND NOT d.id IN $applied
WITH log, d
  ORDER BY d.id
WITH log, collect(d) AS ds
RETURN log.epoch AS epoch, log.prunedBefore AS prunedBefore, [d IN ds | d.id] AS id,
       [d IN ds | coalesce(d.artifact, [])] AS artifact,
       [d IN ds | coalesce(d.execution, [])] AS execution,
       [d IN ds | coalesce(d.event, [])] AS event,
       [d IN ds | coalesce(d.member, [])] AS member,
       [d IN ds | coalesce(d.context, [])] AS context,
       [d IN ds | coalesce(d.child, [])] AS child,
       [d IN ds | coalesce(d.parent, [])] AS parent
