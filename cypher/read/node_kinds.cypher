// node_kinds — the kind and type of each id, whatever its kind.
// params: $ids: list of ids
// returns: nodes (list of {id, kind, type}; kind is null for an unknown id)
UNWIND $ids AS i
OPTIONAL MATCH (a:Artifact {id: i})
OPTIONAL MATCH (e:Execution {id: i})
OPTIONAL MATCH (c:Context {id: i})
RETURN collect({
  id: i,
  kind: CASE WHEN a IS NOT NULL THEN 'Artifact' WHEN e IS NOT NULL THEN 'Execution'
        WHEN c IS NOT NULL THEN 'Context' END,
  type: coalesce(a.type, e.type, c.type)
}) AS nodes
