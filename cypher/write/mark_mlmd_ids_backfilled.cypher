// mark_mlmd_ids_backfilled — record that every node of a sequence's labels has its mlmdId
// (nodes written since get theirs from the batch statement), so that later starts skip the
// scan for nodes without one.
// params: $kind (the sequence: Artifact, Execution, Context or Type)
// returns: kind
MERGE (s:IdSequence {kind: $kind})
SET s.backfilled = true
RETURN s.kind AS kind
