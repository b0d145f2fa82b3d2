// impact_step — one hop downstream (along the arrows) from a frontier given by id: the unit
// of work of the streaming impact export. Each step is its own short read transaction, so
// the frontier travels between steps as ids (index seeks), not as elementIds.
// params: $artifacts, $executions (the frontier's ids, by kind)
// returns: nodes — the distinct nodes one hop downstream, each a list
//          [id, kind ('A' artifact or 'E' execution), type, name, uri]
CALL () {
  UNWIND $artifacts AS i
  MATCH (:Artifact {id: i})-[:INPUT]->(n:Execution)
  RETURN n
  UNION ALL
  UNWIND $executions AS i
  MATCH (:Execution {id: i})-[:OUTPUT]->(n:Artifact)
  RETURN n
}
WITH DISTINCT n
RETURN collect([n.id, CASE WHEN n:Artifact THEN 'A' ELSE 'E' END, n.type, n.name, n.uri]) AS nodes
