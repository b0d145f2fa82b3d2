// nodes_downstream — the distinct nodes one hop along the arrows from a frontier given by
// id, without the edges: the unit of work of a streamed walk that reports nodes only
// (the impact export). Each step is its own short read transaction (see step_downstream).
// params: $artifacts, $executions (the frontier's ids, by kind), stop-filter parameters
// returns: nodes — one [id, kind ('A' or 'E'), type, name, uri, state, stop] per distinct
//          node reached (a list per node, as name, uri and state may be null); stop says
//          whether it matches the stop filter in the slot (by default none does)
CALL () {
  UNWIND $artifacts AS i
  MATCH (:Artifact {id: i})-[:INPUT]->(n:Execution)
  RETURN n, 'E' AS kind
  UNION ALL
  UNWIND $executions AS i
  MATCH (:Execution {id: i})-[:OUTPUT]->(n:Artifact)
  RETURN n, 'A' AS kind
}
WITH DISTINCT n, kind
RETURN collect([n.id, kind, n.type, n.name, n.uri, n.state, /*%stop*/false/*%*/]) AS nodes
