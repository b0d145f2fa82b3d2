// lineage_step — one hop of MLMD's lineage walk from a frontier of artifacts and executions
// (by mlmdId): against the data flow ($up), along it ($down), or both.
// params: $artifacts, $executions (mlmdIds), $up, $down (booleans)
// returns: executions (mlmdIds next to the artifacts), artifacts (next to the executions)
CALL () {
  UNWIND $artifacts AS i
  MATCH (:Artifact {mlmdId: i})-[r:INPUT|OUTPUT]-(x:Execution)
  WHERE (type(r) = 'INPUT' AND $down) OR (type(r) = 'OUTPUT' AND $up)
  RETURN collect(DISTINCT x.mlmdId) AS executions
}
CALL () {
  UNWIND $executions AS i
  MATCH (:Execution {mlmdId: i})-[r:INPUT|OUTPUT]-(a:Artifact)
  WHERE (type(r) = 'OUTPUT' AND $down) OR (type(r) = 'INPUT' AND $up)
  RETURN collect(DISTINCT a.mlmdId) AS artifacts
}
RETURN executions, artifacts
