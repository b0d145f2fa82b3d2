// lineage_step — one hop of MLMD's lineage walk from a frontier of artifacts and executions
// (by id): against the data flow ($up), along it ($down), or both; with the events it
// crossed (MLMD's answer holds exactly those).
// params: $artifacts, $executions (ids), $up, $down (booleans)
// returns: executions (ids of those next to the artifacts), artifacts (next to the
//          executions), events (list of {artifact, execution (ids), kind})
CALL () {
  UNWIND $artifacts AS i
  MATCH (a:Artifact {id: i})-[r:INPUT|OUTPUT]-(x:Execution)
  WHERE (type(r) = 'INPUT' AND $down) OR (type(r) = 'OUTPUT' AND $up)
  RETURN collect(DISTINCT x.id) AS executions,
         collect({artifact: a.id, execution: x.id, kind: r.kind})
           AS fromArtifacts
}
CALL () {
  UNWIND $executions AS i
  MATCH (x:Execution {id: i})-[r:INPUT|OUTPUT]-(a:Artifact)
  WHERE (type(r) = 'OUTPUT' AND $down) OR (type(r) = 'INPUT' AND $up)
  RETURN collect(DISTINCT a.id) AS artifacts,
         collect({artifact: a.id, execution: x.id, kind: r.kind})
           AS fromExecutions
}
RETURN executions, artifacts, fromArtifacts + fromExecutions AS events
