// list_nodes — one page of nodes of one kind: filtered, ordered, after a keyset cursor.
// params: $limit, filter parameters ($f0, $f1, …), $cursorValue, $cursorId
// returns: nodes (list of node maps, in page order)
MATCH (n:/*%label*/Artifact/*%*/)
WHERE /*%where*/true/*%*/
WITH n ORDER BY /*%order*/n.createdAt ASC, n.id ASC/*%*/
LIMIT $limit
RETURN collect(n {.*}) AS nodes
