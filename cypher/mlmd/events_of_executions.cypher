// events_of_executions — every event of each execution (by mlmdId), with its order of
// insertion.
// params: $ids: list of execution mlmdIds
// returns: events (list of {artifactId, executionId (mlmdIds), kind, path, ts, seq})
UNWIND $ids AS i
MATCH (x:Execution {mlmdId: i})-[r:INPUT|OUTPUT]-(a:Artifact)
RETURN collect({artifactId: a.mlmdId, executionId: x.mlmdId, kind: r.kind, path: r.path,
                ts: r.ts, seq: r.seq}) AS events
