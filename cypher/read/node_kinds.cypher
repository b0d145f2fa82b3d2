// node_kinds — the kind, type and elementId of each id, whatever its kind.
// params: $ids: list of ids
// returns: nodes (list of {id, kind, type, eid}; kind is null for an unknown id)
UNWIND $ids AS i
OPTIONAL MATCH (a:Artifact {id: i})
OPTIONAL MATCH (e:Execution {id: i})
OPTIONAL MATCH (c:Context {id: i})
WITH i, coalesce(a, e, c) AS n,
     CASE WHEN a IS NOT NULL THEN 'Artifact' WHEN e IS NOT NULL THEN 'Execution'
          WHEN c IS NOT NULL THEN 'Context' END AS kind
RETURN collect({
  id: i,
  kind: kind,
  type: n.type,
  eid: CASE WHEN n IS NULL THEN null ELSE elementId(n) END
}) AS nodes
