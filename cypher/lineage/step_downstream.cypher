// step_downstream — one hop along the arrows from a frontier given by id: the unit of work
// of the streamed walks (the subgraph's NDJSON form, the impact export). Each step is its
// own short read transaction, so the frontier travels between steps as ids (index seeks),
// not as elementIds.
// params: $artifacts, $executions (the frontier's ids, by kind), stop-filter parameters
// returns: parallel lists, one entry per edge crossed: source (the frontier node's id),
//          id, kind ('A' or 'E'), type, name, uri and state of the node reached (the last
//          three may be null: they are read from the collected nodes, as collect() would
//          drop nulls), event (the edge's event kind), stop (whether the reached node
//          matches the stop filter in the slot, a test that is never null; by default none
//          does)
CALL () {
  UNWIND $artifacts AS i
  MATCH (:Artifact {id: i})-[r:INPUT]->(n:Execution)
  RETURN i, n, r, 'E' AS kind
  UNION ALL
  UNWIND $executions AS i
  MATCH (:Execution {id: i})-[r:OUTPUT]->(n:Artifact)
  RETURN i, n, r, 'A' AS kind
}
WITH collect(i) AS source, collect(n) AS reached, collect(kind) AS kind,
     collect(r.kind) AS event, collect(/*%stop*/false/*%*/) AS stop
RETURN source, [x IN reached | x.id] AS id, kind, [x IN reached | x.type] AS type,
       [x IN reached | x.name] AS name, [x IN reached | x.uri] AS uri,
       [x IN reached | x.state] AS state, event, stop
