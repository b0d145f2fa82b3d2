// Contexts by type name (MLMD's get_contexts_by_type; the (type, name) constraint serves
// lookups by both).
CREATE INDEX context_type IF NOT EXISTS FOR (n:Context) ON (n.type)
