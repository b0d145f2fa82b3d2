// impact_parents — the direct parent contexts of the given contexts (one level of the
// ancestor walk of impact analysis).
// params: $ids (context ids)
// returns: member, context — parallel lists, one entry per parent link (member is a child
//          of context); contexts — the distinct parents, each {id, type, name}
UNWIND $ids AS i
MATCH (:Context {id: i})-[:CHILD_OF]->(p:Context)
WITH collect(i) AS member, collect(p.id) AS context, collect(DISTINCT p) AS held
RETURN member, context, [x IN held | x {.id, .type, .name}] AS contexts
