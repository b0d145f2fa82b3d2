// expand_downstream — one hop along the arrows from a frontier: artifact -> consuming
// execution, execution -> produced artifact. One round trip, one row.
// params: $artifacts, $executions (the frontier, as elementIds: a seek by elementId costs
//         a third of an index lookup on the embedded engine, and the walk runs in one
//         transaction, within which elementIds are stable), stop-filter parameters ($s0, …)
// returns: parallel lists, one entry per edge crossed: source (the frontier node's
//          elementId), id, handle (elementId), kind ('A' artifact, 'E' execution) and type
//          of the node reached, event (the edge's event kind), stop (whether the reached
//          node matches the stop filter in the slot, which holds a test that is never
//          null, as collect() drops nulls; by default none does)
CALL () {
  UNWIND $artifacts AS fid
  MATCH (f) WHERE elementId(f) = fid
  MATCH (f)-[r:INPUT]->(n:Execution)
  RETURN fid, n, r, 'E' AS kind
  UNION ALL
  UNWIND $executions AS fid
  MATCH (f) WHERE elementId(f) = fid
  MATCH (f)-[r:OUTPUT]->(n:Artifact)
  RETURN fid, n, r, 'A' AS kind
}
RETURN collect(fid) AS source, collect(n.id) AS id, collect(elementId(n)) AS handle,
       collect(kind) AS kind, collect(n.type) AS type, collect(r.kind) AS event,
       collect(/*%stop*/false/*%*/) AS stop
