// edges_of_executions — every INPUT and OUTPUT edge of some executions: a page of a
// topology index's build (every such edge joins one execution and one artifact).
// params: $executions (execution ids)
// returns: parallel lists, one entry per edge: artifact, artifactType, execution,
//          executionType (the ends' ids and type names), event (the edge's event kind,
//          which gives its direction)
CALL () {
  UNWIND $executions AS i
  MATCH (e:Execution {id: i})<-[r:INPUT]-(a:Artifact)
  RETURN a, e, r.kind AS event
  UNION ALL
  UNWIND $executions AS i
  MATCH (e:Execution {id: i})-[r:OUTPUT]->(a:Artifact)
  RETURN a, e, r.kind AS event
}
WITH collect(a) AS artifacts, collect(e) AS executions, collect(event) AS event
RETURN [x IN artifacts | x.id] AS artifact, [x IN artifacts | x.type] AS artifactType,
       [x IN executions | x.id] AS execution, [x IN executions | x.type] AS executionType,
       event
