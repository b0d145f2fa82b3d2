// put_attributions — artifact belongs to context.
// params: $rows: list of {artifactId, contextId}
// returns: written (count of rows whose two nodes exist)
UNWIND $rows AS row
MATCH (a:Artifact {id: row.artifactId})
MATCH (c:Context {id: row.contextId})
MERGE (a)-[r:ATTRIBUTED_TO]->(c)
RETURN count(r) AS written
