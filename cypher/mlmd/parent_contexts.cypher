// parent_contexts — the direct parents of each context (by mlmdId), oldest link first.
// params: $ids: list of context mlmdIds
// returns: pairs (list of {nodeId (mlmdId), context (a context map), typeId})
UNWIND $ids AS i
MATCH (:Context {mlmdId: i})-[r:CHILD_OF]->(c:Context)-[:OF_TYPE]->(t)
WITH i, c, t ORDER BY coalesce(r.ts, 0), c.mlmdId
RETURN collect({nodeId: i, context: properties(c), typeId: t.mlmdId}) AS pairs
