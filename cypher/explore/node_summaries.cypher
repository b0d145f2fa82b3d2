// node_summaries — what a drawing of many nodes shows of each: name, uri and state, without
// the properties (a fraction of the cost of whole nodes for thousands of them).
// params: $artifacts, $executions: lists of ids
// returns: rows — one [id, name, uri, state] per node found (an unknown id is left out;
//          a list per node, as name, uri and state may be null)
CALL () {
  UNWIND $artifacts AS i
  MATCH (n:Artifact {id: i})
  RETURN n
  UNION ALL
  UNWIND $executions AS i
  MATCH (n:Execution {id: i})
  RETURN n
}
RETURN collect([n.id, n.name, n.uri, n.state]) AS rows
