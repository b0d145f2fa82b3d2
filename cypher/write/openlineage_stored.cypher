// openlineage_stored — what writing an OpenLineage event merges with: the artifacts that
// the event's dataset identities name (through their DatasetAlias), every identity of
// those artifacts, and the executions and contexts of the event by external id. Each node
// found is write-locked first (a property set and removed: nothing stays), so that two
// events merging into one node at once take turns, the second reading what the first
// wrote, instead of one overwriting the other's merge.
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
  SET n.olLock = true
  REMOVE n.olLock
  WITH n, artifactId
  CALL (artifactId) {
    MATCH (b:DatasetAlias {artifactId: artifactId})
    RETURN collect(b {.key, .artifactId, .namespace, .name, .primary, .location}) AS identities
  }
  RETURN collect(n {.*}) AS artifacts, collect(identities) AS aliases
}
CALL () {
  UNWIND $executions AS x
  MATCH (n:Execution {externalId: x})
  SET n.olLock = true
  REMOVE n.olLock
  RETURN collect(n {.*}) AS executions
}
CALL () {
  UNWIND $contexts AS x
  MATCH (n:Context {externalId: x})
  SET n.olLock = true
  REMOVE n.olLock
  RETURN collect(n {.*}) AS contexts
}
RETURN artifacts, aliases, executions, contexts
