// impact_contexts — the id, type and name of some contexts (impact analysis's contexts,
// found in the topology index).
// params: $ids (context ids)
// returns: contexts — each {id, type, name}; an unknown id is left out
UNWIND $ids AS i
MATCH (c:Context {id: i})
RETURN collect(c {.id, .type, .name}) AS contexts
