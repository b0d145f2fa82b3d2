// step_upstream — one hop against the arrows from a frontier given by id (see
// step_downstream).
// params: $artifacts, $executions (the frontier's ids, by kind), stop-filter parameters
// returns: parallel lists, one entry per edge crossed: source, id, kind, type, summary,
//          event, stop (see step_downstream)
CALL () {
  UNWIND $artifacts AS i
  MATCH (:Artifact {id: i})<-[r:OUTPUT]-(n:Execution)
  RETURN i, n, r, 'E' AS kind
  UNION ALL
  UNWIND $executions AS i
  MATCH (:Execution {id: i})<-[r:INPUT]-(n:Artifact)
  RETURN i, n, r, 'A' AS kind
}
RETURN collect(i) AS source, collect(n.id) AS id, collect(kind) AS kind,
       collect(n.type) AS type, collect([n.name, n.uri, n.state]) AS summary,
       collect(r.kind) AS event,
       collect(/*%stop*/false/*%*/) AS stop
