// edges_of_executions — every INPUT and OUTPUT edge of some executions: a page of a
// topology index's build (every such edge joins one execution and one artifact).
// params: $executions (execution ids)
// returns: parallel lists, one entry per edge: artifact, artifactType, execution,
//          executionType (the ends' ids and type names), event (the edge's event kind,
//          which gives its direction)
CALL () {
  UNWIND $executions AS i
  MATCH (e:Execution {id: i})<-[r:INPUT]-(a:Artifact)
  RETURN a.id AS artifact, a.type AS artifactType, i AS execution, e.type AS executionType,
         r.kind AS event
  UNION ALL
  UNWIND $executions AS i
  MATCH (e:Execution {id: i})-[r:OUTPUT]->(a:Artifact)
  RETURN a.id AS artifact, a.type AS artifactType, i AS execution, e.type AS executionType,
         r.kind AS event
}
RETURN collect(artifact) AS artifact, collect(artifactType) AS artifactType,
       collect(execution) AS execution, collect(executionType) AS executionType,
       collect(event) AS event
