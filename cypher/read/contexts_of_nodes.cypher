// contexts_of_nodes — the contexts each artifact or execution belongs to.
// params: $ids: list of node ids (of the slot's kind)
// returns: pairs (list of {nodeId, context: context map})
UNWIND $ids AS i
MATCH (n:/*%label*/Artifact/*%*/ {id: i})-[:ATTRIBUTED_TO|ASSOCIATED_WITH]->(c:Context)
RETURN collect({nodeId: i, context: properties(c)}) AS pairs
