// node_summaries — what a drawing of many nodes shows of each: name, uri and state, without
// the properties (a fraction of the cost of whole nodes for thousands of them).
// params: $artifacts, $executions: lists of ids
// returns: parallel lists, one entry per node found (an unknown id is left out): id, name,
//          uri, state (read from the collected nodes, as collect() would drop nulls)
CALL () {
  UNWIND $artifacts AS i
  MATCH (n:Artifact {id: i})
  RETURN n
  UNION ALL
  UNWIND $executions AS i
  MATCH (n:Execution {id: i})
  RETURN n
}
WITH collect(n) AS found
RETURN [x IN found | x.id] AS id, [x IN found | x.name] AS name, [x IN found | x.uri] AS uri,
       [x IN found | x.state] AS state
