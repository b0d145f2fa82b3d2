// put_output_events — execution -> artifact events (OUTPUT, DECLARED_OUTPUT,
// INTERNAL_OUTPUT, PENDING_OUTPUT).
// params: $rows: list of {artifactId, executionId, kind, path (JSON text), ts (ms)}
// returns: written (count of rows whose two nodes exist). Re-sending an event with the same
//          kind and path merges onto it.
UNWIND $rows AS row
MATCH (e:Execution {id: row.executionId})
MATCH (a:Artifact {id: row.artifactId})
MERGE (e)-[r:OUTPUT {kind: row.kind, path: row.path}]->(a)
ON CREATE SET r.ts = row.ts
RETURN count(r) AS written
