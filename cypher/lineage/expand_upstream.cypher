// expand_upstream — one hop against the arrows from a frontier: artifact <- producing
// execution, execution <- consumed artifact. One round trip, one row.
// params: $artifactIds, $executionIds (the frontier), stop-filter parameters ($s0, …)
// returns: rows (list of [fromId, toId, toKind, toType, eventKind, stop]); `stop` is the
//          stop condition evaluated on the reached node (false when there is none)
CALL () {
  UNWIND $artifactIds AS fid
  MATCH (:Artifact {id: fid})<-[r:OUTPUT]-(n:Execution)
  RETURN fid, n, r, 'Execution' AS kind
  UNION ALL
  UNWIND $executionIds AS fid
  MATCH (:Execution {id: fid})<-[r:INPUT]-(n:Artifact)
  RETURN fid, n, r, 'Artifact' AS kind
}
RETURN collect([fid, n.id, kind, n.type, r.kind, /*%stop*/false/*%*/]) AS rows
