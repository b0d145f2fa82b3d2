// put_input_events — artifact -> execution events (INPUT, DECLARED_INPUT, INTERNAL_INPUT).
// params: $rows: list of {artifactId, executionId, kind, path (JSON text), ts (ms)}
// returns: written (count). Re-sending an event with the same kind and path merges onto it.
UNWIND $rows AS row
MATCH (a:Artifact {id: row.artifactId})
MATCH (e:Execution {id: row.executionId})
MERGE (a)-[r:INPUT {kind: row.kind, path: row.path}]->(e)
ON CREATE SET r.ts = row.ts
RETURN count(r) AS written
