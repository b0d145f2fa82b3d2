// reach_upstream — every node within $depth (at most 6) hops against the arrows from a
// small frontier, with its distance, in one round trip (see reach_downstream).
// params: $artifacts, $executions (the frontier, as elementIds), $depth (1..6)
// returns: parallel lists, one entry per node reached: id, handle, distance, kind, type
UNWIND $artifacts + $executions AS fid
MATCH (f) WHERE elementId(f) = fid
MATCH p = (f)<-[:INPUT|OUTPUT*1..6]-(x)
WHERE length(p) <= $depth
WITH x, min(length(p)) AS d
RETURN collect(x.id) AS id, collect(elementId(x)) AS handle, collect(d) AS distance,
       collect(CASE WHEN x:Artifact THEN 'A' ELSE 'E' END) AS kind, collect(x.type) AS type
