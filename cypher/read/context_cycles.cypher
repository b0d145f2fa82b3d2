// context_cycles — contexts that are their own ancestor (run after adding parent links).
// params: $ids: list of context ids to check
// returns: cyclic (list of ids)
UNWIND $ids AS i
MATCH (c:Context {id: i})
WHERE EXISTS { (c)-[:CHILD_OF*1..100]->(c) }
RETURN collect(i) AS cyclic
