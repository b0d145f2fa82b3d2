// read_deltas — the delta log's state and the deltas a topology index has not applied yet.
// params: $key (the log node's key), $floor (every delta with a smaller id is applied),
//         $applied (ids above the floor already applied)
// returns: epoch, prunedBefore (null when the log node is missing: the graph was wiped),
//          deltas — oldest first, each {id, artifactIds, executionIds, contextIds (a
//          batch's node ids by kind), edgeArtifact, edgeExecution, edgeEvent (its INPUT and
//          OUTPUT edges: positions in those lists, event kinds), attributedArtifact,
//          attributedContext, associatedExecution, associatedContext (its memberships, as
//          positions), child, parent (its parent links, as ids), updated (the ids of
//          the artifacts and executions whose stored fields it changed)}; a list it lacks
//          is empty
OPTIONAL MATCH (log:TopologyLog {key: $key})
OPTIONAL MATCH (d:TopologyDelta)
  WHERE d.id > $floor AND NOT d.id IN $applied
WITH log, d
  ORDER BY d.id
WITH log, collect(d) AS ds
RETURN log.epoch AS epoch, log.prunedBefore AS prunedBefore, [d IN ds | d {
  .id,
  artifactIds: coalesce(d.artifactIds, []), executionIds: coalesce(d.executionIds, []),
  contextIds: coalesce(d.contextIds, []), edgeArtifact: coalesce(d.edgeArtifact, []),
  edgeExecution: coalesce(d.edgeExecution, []), edgeEvent: coalesce(d.edgeEvent, []),
  attributedArtifact: coalesce(d.attributedArtifact, []),
  attributedContext: coalesce(d.attributedContext, []),
  associatedExecution: coalesce(d.associatedExecution, []),
  associatedContext: coalesce(d.associatedContext, []),
  child: coalesce(d.child, []), parent: coalesce(d.parent, []),
  updated: coalesce(d.updated, [])
}] AS deltas
