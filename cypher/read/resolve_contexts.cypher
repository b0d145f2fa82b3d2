// resolve_contexts — like resolve_nodes, and also by the context's unique (type, name).
// params: $rows: list of {i, id, externalId, type, name}; '' (never null) for an absent key
// returns: found (list of {i, idMatch, idType, idExternalId, xidMatch, xidType, nameMatch,
//          nameType, nameExternalId}; null when nothing matches)
UNWIND $rows AS row
OPTIONAL MATCH (a:Context {id: row.id})
OPTIONAL MATCH (b:Context {externalId: row.externalId})
OPTIONAL MATCH (c:Context {type: row.type, name: row.name})
RETURN collect({
  i: row.i,
  idMatch: a.id, idType: a.type, idExternalId: a.externalId,
  xidMatch: b.id, xidType: b.type,
  nameMatch: c.id, nameType: c.type, nameExternalId: c.externalId
}) AS found
