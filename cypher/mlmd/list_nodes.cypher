// list_nodes — MLMD's reads of artifacts, executions or contexts (by id, type, name, uri,
// external id, context, filter query): one page, ordered, after a keyset cursor, each
// node with its type's mlmdId. The store inserts the match (a label; nodes by the values
// of one indexed key, one index seek each; or a context's members), the condition it
// compiled and the order; every value is a parameter.
// params: $limit, and those of the match and condition ($keys, $contextId, $typeName,
//         $q0, …, $cursorValue, $cursorId)
// returns: node (a node map), typeId (its type's mlmdId); one row per node, in page order
/*%match*/MATCH (n:Artifact)/*%*/-[:OF_TYPE]->(t)
WHERE /*%where*/n.mlmdId IS NOT NULL/*%*/
RETURN n {.*} AS node, t.mlmdId AS typeId
ORDER BY /*%order*/n.mlmdId ASC/*%*/
LIMIT $limit
