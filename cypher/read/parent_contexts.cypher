// parent_contexts — the direct parents of each context.
// params: $ids: list of context ids
// returns: pairs (list of {nodeId, context: parent context map})
UNWIND $ids AS i
MATCH (:Context {id: i})-[:CHILD_OF]->(p:Context)
RETURN collect({nodeId: i, context: properties(p)}) AS pairs
