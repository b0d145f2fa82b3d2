// impact_memberships — the contexts that directly hold some of the given artifacts
// (attribution) and executions (association).
// params: $artifacts, $executions (lists of ids)
// returns: pairs — one "memberId contextId" string per membership (ids hold no spaces);
//          contexts — the distinct contexts among them, each a list [id, type, name]
CALL () {
  UNWIND $artifacts AS i
  MATCH (:Artifact {id: i})-[:ATTRIBUTED_TO]->(c:Context)
  RETURN i, c
  UNION ALL
  UNWIND $executions AS i
  MATCH (:Execution {id: i})-[:ASSOCIATED_WITH]->(c:Context)
  RETURN i, c
}
RETURN collect(i + ' ' + c.id) AS pairs, collect(DISTINCT [c.id, c.type, c.name]) AS contexts
