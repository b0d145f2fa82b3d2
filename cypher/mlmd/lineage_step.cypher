// lineage_step — one hop of MLMD's lineage walk from a frontier of artifacts and executions
// (by mlmdId): against the data flow ($up), along it ($down), or both; with the events it
// crossed (MLMD's answer holds exactly those).
// params: $artifacts, $executions (mlmdIds), $up, $down (booleans)
// returns: executions (mlmdIds next to the artifacts), artifacts (next to the executions),
//          events (list of {artifact, execution (mlmdIds), kind, path})
CALL () {
  UNWIND $artifacts AS i
  MATCH (a:Artifact {mlmdId: i})-[r:INPUT|OUTPUT]-(x:Execution)
  WHERE (type(r) = 'INPUT' AND $down) OR (type(r) = 'OUTPUT' AND $up)
  RETURN collect(DISTINCT x.mlmdId) AS executions,
         collect({artifact: a.mlmdId, execution: x.mlmdId, kind: r.kind, path: r.path})
           AS fromArtifacts
}
CALL () {
  UNWIND $executions AS i
  MATCH (x:Execution {mlmdId: i})-[r:INPUT|OUTPUT]-(a:Artifact)
  WHERE (type(r) = 'OUTPUT' AND $down) OR (type(r) = 'INPUT' AND $up)
  RETURN collect(DISTINCT a.mlmdId) AS artifacts,
         collect({artifact: a.mlmdId, execution: x.mlmdId, kind: r.kind, path: r.path})
           AS fromExecutions
}
RETURN executions, artifacts, fromArtifacts + fromExecutions AS events
