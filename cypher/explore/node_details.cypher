// node_details — every stored field of artifacts and executions given by id.
// params: $artifacts, $executions: lists of ids
// returns: nodes (list of node maps; an unknown id is left out)
CALL () {
  UNWIND $artifacts AS i
  MATCH (n:Artifact {id: i})
  RETURN n
  UNION ALL
  UNWIND $executions AS i
  MATCH (n:Execution {id: i})
  RETURN n
}
RETURN collect(n {.*}) AS nodes
