// resolve_contexts — like resolve_nodes, and also by the context's unique (type, name).
// params: $rows: list of {i, id, externalId, type, name}
// returns: found (list of {i, byId, byExternalId, byName}; each {id, type, name} or null)
UNWIND $rows AS row
OPTIONAL MATCH (a:Context {id: row.id})
OPTIONAL MATCH (b:Context {externalId: row.externalId})
OPTIONAL MATCH (c:Context {type: row.type, name: row.name})
RETURN collect({
  i: row.i,
  byId: a {.id, .type, .name, .externalId},
  byExternalId: b {.id, .type, .name},
  byName: c {.id, .type, .name, .externalId}
}) AS found
