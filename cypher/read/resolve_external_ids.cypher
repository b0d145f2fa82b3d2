// resolve_external_ids — before a batch write, the existing nodes of the rows' external ids.
// params: $externalIds: list of external ids
// returns: found (list of {id, type, typeVersion, externalId}; unknown external ids are absent)
UNWIND $externalIds AS x
MATCH (n:/*%label*/Artifact/*%*/ {externalId: x})
RETURN collect({id: n.id, type: n.type, typeVersion: n.typeVersion,
                 externalId: n.externalId}) AS found
