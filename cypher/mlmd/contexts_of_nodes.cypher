// contexts_of_nodes — the contexts each artifact or execution (by mlmdId) belongs to.
// params: $ids: list of mlmdIds of the slot's kind
// returns: pairs (list of {nodeId (mlmdId), context (a context map), typeId})
UNWIND $ids AS i
MATCH (n:/*%label*/Artifact/*%*/ {mlmdId: i})-[:ATTRIBUTED_TO|ASSOCIATED_WITH]->(c:Context)
MATCH (c)-[:OF_TYPE]->(t)
RETURN collect({nodeId: i, context: properties(c), typeId: t.mlmdId}) AS pairs
