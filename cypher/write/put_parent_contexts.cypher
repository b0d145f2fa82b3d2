// put_parent_contexts — child context is part of parent context; a new link records when
// it was made (MLMD lists parents in the order they were linked).
// params: $rows: list of {childId, parentId}, $now (ms)
// returns: written (count of rows whose two nodes exist)
UNWIND $rows AS row
MATCH (c:Context {id: row.childId})
MATCH (p:Context {id: row.parentId})
MERGE (c)-[r:CHILD_OF]->(p)
ON CREATE SET r.ts = $now
RETURN count(r) AS written
