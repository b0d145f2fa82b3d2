// expand_downstream — one hop along the arrows from a frontier: artifact -> consuming
// execution, execution -> produced artifact. One round trip, one row.
// params: $artifactIds, $executionIds (the frontier), stop-filter parameters ($s0, …)
// returns: rows — one string per edge, "fromId toId eventKind toKind stop toType", with
//          toKind A(rtifact) or E(xecution) and stop 1 when the reached node matches the stop
//          condition (the slot holds that test; by default no node stops). Strings, not nested lists: the embedded engine builds and sends them
//          several times faster, and ids and event kinds hold no spaces.
CALL () {
  UNWIND $artifactIds AS fid
  MATCH (:Artifact {id: fid})-[r:INPUT]->(n:Execution)
  RETURN fid, n, r, ' E ' AS kind
  UNION ALL
  UNWIND $executionIds AS fid
  MATCH (:Execution {id: fid})-[r:OUTPUT]->(n:Artifact)
  RETURN fid, n, r, ' A ' AS kind
}
RETURN collect(
  fid + ' ' + n.id + ' ' + r.kind + kind
  + /*%stop*/'0 '/*%*/ + n.type
) AS rows
