// list_nodes — one page of nodes of one kind: filtered, ordered, after a keyset cursor.
// One row per node, not a collected list: with no aggregation after the MATCH, a range on an
// index whose keys are the ORDER BY's is read in index order up to the LIMIT (the embedded
// engine sorts every match otherwise).
// params: $limit, filter parameters ($f0, $f1, …), $orderFrom, $cursorValue, $cursorId
// returns: node (a node map; one row per node, in page order)
MATCH (n:/*%label*/Artifact/*%*/)
WHERE /*%where*/n.createdAt >= $orderFrom AND n.id IS NOT NULL/*%*/
RETURN n {.*} AS node
ORDER BY /*%order*/n.createdAt ASC, n.id ASC/*%*/
LIMIT $limit
