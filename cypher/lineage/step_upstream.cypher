// step_upstream — one hop against the arrows from a frontier given by id (see
// step_downstream).
// params: $artifacts, $executions (the frontier's ids, by kind), stop-filter parameters
// returns: parallel lists, one entry per edge crossed: source, id, kind, type, name, uri,
//          state, event, stop (see step_downstream)
CALL () {
  UNWIND $artifacts AS i
  MATCH (:Artifact {id: i})<-[r:OUTPUT]-(n:Execution)
  RETURN i, n, r, 'E' AS kind
  UNION ALL
  UNWIND $executions AS i
  MATCH (:Execution {id: i})<-[r:INPUT]-(n:Artifact)
  RETURN i, n, r, 'A' AS kind
}
WITH collect(i) AS source, collect(n) AS reached, collect(kind) AS kind,
     collect(r.kind) AS event, collect(/*%stop*/false/*%*/) AS stop
RETURN source, [x IN reached | x.id] AS id, kind, [x IN reached | x.type] AS type,
       [x IN reached | x.name] AS name, [x IN reached | x.uri] AS uri,
       [x IN reached | x.state] AS state, event, stop
