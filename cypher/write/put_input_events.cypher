// put_input_events — artifact -> execution events (INPUT, DECLARED_INPUT, INTERNAL_INPUT).
// params: $rows: list of {artifactId, executionId, kind, path (JSON text), ts (ms)}
// returns: written (count of rows whose two nodes exist). Re-sending an event with the same
//          kind and path merges onto it. The pattern starts at the execution: an artifact
//          such as a shared raw dataset can have thousands of events, an execution few.
UNWIND $rows AS row
MATCH (e:Execution {id: row.executionId})
MATCH (a:Artifact {id: row.artifactId})
MERGE (e)<-[r:INPUT {kind: row.kind, path: row.path}]-(a)
ON CREATE SET r.ts = row.ts
RETURN count(r) AS written
