// nodes_by_external_ids — nodes of one kind by external id.
// params: $externalIds: list of external ids
// returns: nodes (list of node maps)
UNWIND $externalIds AS x
MATCH (n:/*%label*/Artifact/*%*/ {externalId: x})
RETURN collect(n {.*}) AS nodes
