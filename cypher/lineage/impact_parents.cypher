// impact_parents — the direct parent contexts of the given contexts (one level of the
// ancestor walk of impact analysis).
// params: $ids (context ids)
// returns: pairs — one "childId parentId" string per parent link (ids hold no spaces);
//          parents — the distinct parents, each a list [id, type, name]
UNWIND $ids AS i
MATCH (:Context {id: i})-[:CHILD_OF]->(p:Context)
RETURN collect(i + ' ' + p.id) AS pairs, collect(DISTINCT [p.id, p.type, p.name]) AS parents
