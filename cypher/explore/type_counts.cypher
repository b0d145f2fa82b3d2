// type_counts — how many artifacts, executions and contexts there are of each type, read
// off the types' OF_TYPE degrees (no scan of the nodes); versions of a name are summed.
// params: none
// returns: counts (list of {kind, type, count}; the caller orders them)
CALL () {
  MATCH (t:ArtifactType)
  RETURN 'Artifact' AS kind, t.name AS type, COUNT { (t)<-[:OF_TYPE]-() } AS members
  UNION ALL
  MATCH (t:ExecutionType)
  RETURN 'Execution' AS kind, t.name AS type, COUNT { (t)<-[:OF_TYPE]-() } AS members
  UNION ALL
  MATCH (t:ContextType)
  RETURN 'Context' AS kind, t.name AS type, COUNT { (t)<-[:OF_TYPE]-() } AS members
}
WITH kind, type, sum(members) AS count
RETURN collect({kind: kind, type: type, count: count}) AS counts
