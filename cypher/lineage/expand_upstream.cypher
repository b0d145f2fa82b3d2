// expand_upstream — one hop against the arrows from a frontier: artifact <- producing
// execution, execution <- consumed artifact. One round trip, one row.
// params: $artifacts, $executions (the frontier, as elementIds; see expand_downstream),
//         stop-filter parameters ($s0, …)
// returns: parallel lists, one entry per edge crossed: source, id, handle, kind, type,
//          event, stop (see expand_downstream)
CALL () {
  UNWIND $artifacts AS fid
  MATCH (f) WHERE elementId(f) = fid
  MATCH (f)<-[r:OUTPUT]-(n:Execution)
  RETURN fid, n, r, 'E' AS kind
  UNION ALL
  UNWIND $executions AS fid
  MATCH (f) WHERE elementId(f) = fid
  MATCH (f)<-[r:INPUT]-(n:Artifact)
  RETURN fid, n, r, 'A' AS kind
}
RETURN collect(fid) AS source, collect(n.id) AS id, collect(elementId(n)) AS handle,
       collect(kind) AS kind, collect(n.type) AS type, collect(r.kind) AS event,
       collect(/*%stop*/false/*%*/) AS stop
