// contexts_by_type_name — contexts by their unique (type, name).
// params: $keys: list of {type, name}
// returns: nodes (list of context maps)
UNWIND $keys AS key
MATCH (n:Context {type: key.type, name: key.name})
RETURN collect(n {.*}) AS nodes
