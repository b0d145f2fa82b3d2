// openlineage_stored — what writing an OpenLineage event merges with: the artifacts that
// the event's dataset identities name (through their DatasetAlias), every identity of
// those artifacts, and the executions and contexts of the event by external id.
// params: $keys: list of alias keys, $executions: list of execution external ids,
//         $contexts: list of context external ids
// returns: artifacts (node maps), aliases (for each artifact, in the same order, its
//          identities: {key, artifactId, namespace, name, primary, location}), executions,
//          contexts (node maps)
CALL () {
  UNWIND $keys AS key
  MATCH (a:DatasetAlias {key: key})
  WITH DISTINCT a.artifactId AS artifactId
  MATCH (n:Artifact {id: artifactId})
  CALL (artifactId) {
    MATCH (b:DatasetAlias {artifactId: artifactId})
    RETURN collect(b {.key, .artifactId, .namespace, .name, .primary, .location}) AS identities
  }
  RETURN collect(n {.*}) AS artifacts, collect(identities) AS aliases
}
CALL () {
  UNWIND $executions AS x
  MATCH (n:Execution {externalId: x})
  RETURN collect(n {.*}) AS executions
}
CALL () {
  UNWIND $contexts AS x
  MATCH (n:Context {externalId: x})
  RETURN collect(n {.*}) AS contexts
}
RETURN artifacts, aliases, executions, contexts
