// put_parent_contexts — child context is part of parent context; the TopologyDelta that
// records the links it created for the topology index (design §2), when it created any.
// params: $rows: list of {childId, parentId}, $deltaId (the TopologyDelta's id)
// returns: written (count of rows whose two nodes exist)
UNWIND $rows AS row
MATCH (c:Context {id: row.childId})
MATCH (p:Context {id: row.parentId})
WITH c, p, NOT EXISTS { (c)-[:CHILD_OF]->(p) } AS new
MERGE (c)-[r:CHILD_OF]->(p)
WITH collect(CASE WHEN new THEN c.id END) AS child,
     collect(CASE WHEN new THEN p.id END) AS parent, count(r) AS written
FOREACH (_ IN CASE WHEN size(child) > 0 THEN [1] ELSE [] END |
  CREATE (:TopologyDelta {id: $deltaId, child: child, parent: parent}))
RETURN written
