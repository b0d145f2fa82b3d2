// events_of_executions — every event of each execution, inputs and outputs.
// params: $ids: list of execution ids
// returns: events (list of {artifactId, executionId, kind, path, ts})
UNWIND $ids AS i
MATCH (e:Execution {id: i})-[r:INPUT|OUTPUT]-(a:Artifact)
RETURN collect({artifactId: a.id, executionId: e.id, kind: r.kind, path: r.path, ts: r.ts}) AS events
