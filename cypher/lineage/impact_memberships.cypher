// impact_memberships — the contexts that directly hold some of the given artifacts
// (attribution) and executions (association).
// params: $artifacts, $executions (lists of ids)
// returns: member, context — parallel lists, one entry per membership (member belongs to
//          context); contexts — the distinct contexts among them, each {id, type, name}
//          (made distinct as nodes, then projected: DISTINCT over maps costs more)
CALL () {
  UNWIND $artifacts AS i
  MATCH (:Artifact {id: i})-[:ATTRIBUTED_TO]->(c:Context)
  RETURN i, c
  UNION ALL
  UNWIND $executions AS i
  MATCH (:Execution {id: i})-[:ASSOCIATED_WITH]->(c:Context)
  RETURN i, c
}
WITH collect(i) AS member, collect(c.id) AS context, collect(DISTINCT c) AS held
RETURN member, context, [x IN held | x {.id, .type, .name}] AS contexts
