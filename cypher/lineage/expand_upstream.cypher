// expand_upstream — one hop against the arrows from a frontier: artifact <- producing
// execution, execution <- consumed artifact. One round trip, one row.
// params: $artifacts, $executions (the frontier, as elementIds; see expand_downstream),
//         stop-filter parameters ($s0, …)
// returns: rows — one string per edge, "fromElementId toElementId toId eventKind toKind
//          stop toType" (see expand_downstream)
CALL () {
  UNWIND $artifacts AS fid
  MATCH (f) WHERE elementId(f) = fid
  MATCH (f)<-[r:OUTPUT]-(n:Execution)
  RETURN fid, n, r, ' E ' AS kind
  UNION ALL
  UNWIND $executions AS fid
  MATCH (f) WHERE elementId(f) = fid
  MATCH (f)<-[r:INPUT]-(n:Artifact)
  RETURN fid, n, r, ' A ' AS kind
}
RETURN collect(
  fid + ' ' + elementId(n) + ' ' + n.id + ' ' + r.kind + kind
  + /*%stop*/'0 '/*%*/ + n.type
) AS rows
