// neighbor_counts — how many distinct nodes lie one edge upstream (against the arrows) and
// one edge downstream (along them) of each artifact and execution, in the whole graph; with
// the node's name, uri and state as node_summaries gives them (free once it is matched).
// params: $artifacts, $executions: lists of ids
// returns: parallel lists, one entry per node found (an unknown id is left out): id, name,
//          uri, state (read from the collected nodes, as collect() would drop nulls), up, down
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
WITH collect(n) AS found, collect(up) AS up, collect(down) AS down
RETURN [x IN found | x.id] AS id, [x IN found | x.name] AS name, [x IN found | x.uri] AS uri,
       [x IN found | x.state] AS state, up, down
