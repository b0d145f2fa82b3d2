// resolve_context_names — before a batch write, the existing contexts of (type, name) keys.
// params: $keys: list of {type, name}
// returns: found (list of {id, type, typeVersion, name, externalId}; unknown keys are absent)
UNWIND $keys AS key
MATCH (n:Context {type: key.type, name: key.name})
RETURN collect({id: n.id, type: n.type, typeVersion: n.typeVersion, name: n.name,
                 externalId: n.externalId}) AS found
