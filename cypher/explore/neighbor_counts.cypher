// neighbor_counts — how many distinct nodes lie one edge upstream (against the arrows) and
// one edge downstream (along them) of each artifact and execution, in the whole graph.
// params: $artifacts, $executions: lists of ids
// returns: counts (list of {id, up, down}; an unknown id is left out)
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
RETURN collect({id: n.id, up: up, down: down}) AS counts
