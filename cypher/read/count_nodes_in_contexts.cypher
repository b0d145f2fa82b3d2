// count_nodes_in_contexts — how many members of each of several contexts match a filter.
// params: $ids: list of context ids, filter parameters ($f0, …)
// returns: totals (list of {contextId, total}; 0 for an unknown context)
UNWIND $ids AS i
CALL (i) {
  OPTIONAL MATCH (:Context {id: i})<-[:ATTRIBUTED_TO|ASSOCIATED_WITH]-(n:/*%label*/Artifact/*%*/)
  WHERE /*%where*/true/*%*/
  RETURN count(n) AS total
}
RETURN collect({contextId: i, total: total}) AS totals
