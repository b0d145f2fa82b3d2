// resolve_nodes — before a batch write, find what each input row refers to.
// params: $rows: list of {i (row index), id, externalId}
// returns: found (list of {i, byId: {id, type}, byExternalId: {id, type}}; absent keys are null)
UNWIND $rows AS row
OPTIONAL MATCH (a:/*%label*/Artifact/*%*/ {id: row.id})
OPTIONAL MATCH (b:/*%label*/Artifact/*%*/ {externalId: row.externalId})
RETURN collect({i: row.i, byId: a {.id, .type, .externalId}, byExternalId: b {.id, .type}}) AS found
