// reach_downstream — every node within $depth (at most 6) hops along the arrows from a
// small frontier, with its distance, in one round trip. Used where the frontier is small
// and no stop condition applies: six hops per round trip instead of one. The embedded
// engine enumerates paths here, so the caller keeps the frontier small.
// params: $artifactIds, $executionIds (the frontier), $depth (1..6)
// returns: rows — one string per reached node and distance, "id distance kind type"
CALL () {
  UNWIND $artifactIds AS fid
  MATCH p = (:Artifact {id: fid})-[:INPUT|OUTPUT*1..6]->(x)
  WHERE length(p) <= $depth
  RETURN x, length(p) AS d
  UNION ALL
  UNWIND $executionIds AS fid
  MATCH p = (:Execution {id: fid})-[:INPUT|OUTPUT*1..6]->(x)
  WHERE length(p) <= $depth
  RETURN x, length(p) AS d
}
WITH x, min(d) AS d
RETURN collect(
  x.id + ' ' + toString(d) + CASE WHEN x:Artifact THEN ' A ' ELSE ' E ' END + x.type
) AS rows
