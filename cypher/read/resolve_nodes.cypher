// resolve_nodes — before a batch write, find what each input row refers to.
// params: $rows: list of {i (row index), id, externalId}; '' (never null) for an absent key
// returns: found (list of {i, idMatch, idType, idExternalId, xidMatch, xidType}; null when
//          nothing matches). Flat maps: a map projection nested in a map literal is
//          mis-evaluated by the embedded engine.
UNWIND $rows AS row
OPTIONAL MATCH (a:/*%label*/Artifact/*%*/ {id: row.id})
OPTIONAL MATCH (b:/*%label*/Artifact/*%*/ {externalId: row.externalId})
RETURN collect({
  i: row.i,
  idMatch: a.id, idType: a.type, idExternalId: a.externalId,
  xidMatch: b.id, xidType: b.type
}) AS found
