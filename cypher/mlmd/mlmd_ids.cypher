// mlmd_ids — the mlmdIds of nodes of each kind by their ids, in the order given (null for
// an id that names no node): what a write answers MLMD's clients.
// params: $contexts, $artifacts, $executions: lists of ids
// returns: contexts, artifacts, executions (lists of mlmdIds)
CALL () {
  UNWIND $contexts AS i
  OPTIONAL MATCH (n:Context {id: i})
  RETURN collect([n.mlmdId]) AS contexts
}
CALL () {
  UNWIND $artifacts AS i
  OPTIONAL MATCH (n:Artifact {id: i})
  RETURN collect([n.mlmdId]) AS artifacts
}
CALL () {
  UNWIND $executions AS i
  OPTIONAL MATCH (n:Execution {id: i})
  RETURN collect([n.mlmdId]) AS executions
}
RETURN contexts, artifacts, executions
