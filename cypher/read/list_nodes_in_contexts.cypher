// list_nodes_in_contexts — one page of the members of each of several contexts: filtered,
// ordered, each after its own keyset cursor (the cursor condition reads row.cursorValue and
// row.cursorId; a row without a cursor starts at the first member).
// params: $rows: list of {index, contextId, cursorValue, cursorId}, $limit,
//         filter parameters ($f0, …)
// returns: pages (list of {index, nodes: list of node maps in page order})
UNWIND $rows AS row
CALL (row) {
  MATCH (:Context {id: row.contextId})<-[:ATTRIBUTED_TO|ASSOCIATED_WITH]-(n:/*%label*/Artifact/*%*/)
  WHERE /*%where*/true/*%*/
  WITH n ORDER BY /*%order*/n.createdAt ASC, n.id ASC/*%*/
  LIMIT $limit
  RETURN collect(n {.*}) AS nodes
}
RETURN collect({index: row.index, nodes: nodes}) AS pages
