// events_of_artifacts — every event of each artifact (by mlmdId), with its order of
// insertion.
// params: $ids: list of artifact mlmdIds
// returns: events (list of {artifactId, executionId (mlmdIds), kind, path, ts, seq})
UNWIND $ids AS i
MATCH (a:Artifact {mlmdId: i})-[r:INPUT|OUTPUT]-(x:Execution)
RETURN collect({artifactId: a.mlmdId, executionId: x.mlmdId, kind: r.kind, path: r.path,
                ts: r.ts, seq: r.seq}) AS events
