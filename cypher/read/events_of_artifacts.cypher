// events_of_artifacts — every event of each artifact, inputs and outputs.
// params: $ids: list of artifact ids
// returns: events (list of {artifactId, executionId, kind, path, ts})
UNWIND $ids AS i
MATCH (a:Artifact {id: i})-[r:INPUT|OUTPUT]-(e:Execution)
RETURN collect({artifactId: a.id, executionId: e.id, kind: r.kind, path: r.path, ts: r.ts}) AS events
