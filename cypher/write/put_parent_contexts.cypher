// put_parent_contexts — child context is part of parent context.
// params: $rows: list of {childId, parentId}
// returns: written (count of rows whose two nodes exist)
UNWIND $rows AS row
MATCH (c:Context {id: row.childId})
MATCH (p:Context {id: row.parentId})
MERGE (c)-[r:CHILD_OF]->(p)
RETURN count(r) AS written
