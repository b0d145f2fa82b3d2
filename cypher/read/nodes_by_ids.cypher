// nodes_by_ids — nodes of one kind by id; missing ids are simply absent.
// params: $ids: list of ids
// returns: nodes (list of node maps)
UNWIND $ids AS i
MATCH (n:/*%label*/Artifact/*%*/ {id: i})
RETURN collect(n {.*}) AS nodes
