// expand_downstream — one hop along the arrows from a frontier: artifact -> consuming
// execution, execution -> produced artifact. One round trip, one row.
// params: $artifacts, $executions (the frontier, as elementIds: a seek by elementId costs
//         a third of an index lookup on the embedded engine, and the walk runs in one
//         transaction, within which elementIds are stable), stop-filter parameters ($s0, …)
// returns: rows — one string per edge, "fromElementId toElementId toId eventKind toKind
//          stop toType", with toKind A(rtifact) or E(xecution) and stop 1 when the reached
//          node matches the stop condition (the slot holds that test; by default no node
//          stops). Strings, not nested lists: the embedded engine builds and sends them
//          several times faster; ids, elementIds and event kinds hold no spaces.
CALL () {
  UNWIND $artifacts AS fid
  MATCH (f) WHERE elementId(f) = fid
  MATCH (f)-[r:INPUT]->(n:Execution)
  RETURN fid, n, r, ' E ' AS kind
  UNION ALL
  UNWIND $executions AS fid
  MATCH (f) WHERE elementId(f) = fid
  MATCH (f)-[r:OUTPUT]->(n:Artifact)
  RETURN fid, n, r, ' A ' AS kind
}
RETURN collect(
  fid + ' ' + elementId(n) + ' ' + n.id + ' ' + r.kind + kind
  + /*%stop*/'0 '/*%*/ + n.type
) AS rows
