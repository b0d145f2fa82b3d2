// nodes_downstream — the distinct nodes one hop along the arrows from a frontier given by
// id, without the edges: the unit of work of a streamed walk that reports nodes only
// (the impact export). Each step is its own short read transaction (see step_downstream).
// params: $artifacts, $executions (the frontier's ids, by kind), stop-filter parameters
// returns: parallel lists, one entry per distinct node reached: id, kind ('A' or 'E'),
//          type, name, uri, state (the last three may be null: they are read from the
//          collected nodes, as collect() would drop nulls), stop (whether it matches the
//          stop filter in the slot; by default none does)
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
WITH collect(n) AS reached, collect(kind) AS kind, collect(/*%stop*/false/*%*/) AS stop
RETURN [x IN reached | x.id] AS id, kind, [x IN reached | x.type] AS type,
       [x IN reached | x.name] AS name, [x IN reached | x.uri] AS uri,
       [x IN reached | x.state] AS state, stop
