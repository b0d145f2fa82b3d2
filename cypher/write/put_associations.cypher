// put_associations — execution belongs to context.
// params: $rows: list of {executionId, contextId}
// returns: written (count of rows whose two nodes exist)
UNWIND $rows AS row
MATCH (e:Execution {id: row.executionId})
MATCH (c:Context {id: row.contextId})
MERGE (e)-[r:ASSOCIATED_WITH]->(c)
RETURN count(r) AS written
