// neighbor_counts — how many distinct nodes lie one edge upstream (against the arrows) and
// one edge downstream (along them) of each artifact and execution, in the whole graph; with
// the node's name, uri and state as node_summaries gives them (free once it is matched).
// params: $artifacts, $executions: lists of ids
// returns: rows — one [id, name, uri, state, up, down] per node found (an unknown id is
//          left out; a list per node, as name, uri and state may be null)
CALL () {
  UNWIND $artifacts AS i
  MATCH (n:Artifact {id: i})
  RETURN n
  UNION ALL
  UNWIND $executions AS i
  MATCH (n:Execution {id: i})
  RETURN n
}
CALL (n) {
  OPTIONAL MATCH (n)<-[:INPUT|OUTPUT]-(m)
  RETURN count(DISTINCT m) AS up
}
CALL (n) {
  OPTIONAL MATCH (n)-[:INPUT|OUTPUT]->(m)
  RETURN count(DISTINCT m) AS down
}
RETURN collect([n.id, n.name, n.uri, n.state, up, down]) AS rows
