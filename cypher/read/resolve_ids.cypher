// resolve_ids — before a batch write, the existing nodes the rows name by id.
// params: $ids: list of ids
// returns: found (list of {id, type, typeVersion, externalId}; unknown ids are absent)
UNWIND $ids AS i
MATCH (n:/*%label*/Artifact/*%*/ {id: i})
RETURN collect({id: n.id, type: n.type, typeVersion: n.typeVersion,
                 externalId: n.externalId}) AS found
