// list_nodes_in_context — like list_nodes, for the members of one context.
// params: $contextId, $limit, filter parameters ($f0, …), $orderFrom, $cursorValue, $cursorId
// returns: nodes (list of node maps, in page order)
MATCH (:Context {id: $contextId})<-[:ATTRIBUTED_TO|ASSOCIATED_WITH]-(n:/*%label*/Artifact/*%*/)
WHERE /*%where*/true/*%*/
WITH n ORDER BY /*%order*/n.createdAt ASC, n.id ASC/*%*/
LIMIT $limit
RETURN collect(n {.*}) AS nodes
