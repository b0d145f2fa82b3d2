// count_nodes_in_context — how many members of one context match a filter.
// params: $contextId, filter parameters ($f0, …)
// returns: total
MATCH (:Context {id: $contextId})<-[:ATTRIBUTED_TO|ASSOCIATED_WITH]-(n:/*%label*/Artifact/*%*/)
WHERE /*%where*/true/*%*/
RETURN count(n) AS total
