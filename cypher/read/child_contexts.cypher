// child_contexts — the direct children of each context.
// params: $ids: list of context ids
// returns: pairs (list of {nodeId, context: child context map})
UNWIND $ids AS i
MATCH (:Context {id: i})<-[:CHILD_OF]-(c:Context)
RETURN collect({nodeId: i, context: properties(c)}) AS pairs
