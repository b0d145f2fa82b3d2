// context_members — the artifacts and executions of one context (the start set of a
// context's lineage, and the nodes of its DAG).
// params: $contextId
// returns: found (whether the context exists), artifacts and executions (lists of
//          {id, type, eid}; eid is the node's elementId)
OPTIONAL MATCH (c:Context {id: $contextId})
CALL (c) {
  OPTIONAL MATCH (c)<-[:ATTRIBUTED_TO]-(a:Artifact)
  RETURN collect(a {.id, .type, eid: elementId(a)}) AS artifacts
}
CALL (c) {
  OPTIONAL MATCH (c)<-[:ASSOCIATED_WITH]-(e:Execution)
  RETURN collect(e {.id, .type, eid: elementId(e)}) AS executions
}
RETURN c IS NOT NULL AS found, artifacts, executions
