// mlmd_ids_backfilled — the id sequences whose older nodes (written before MLMD's int64 ids
// were kept) have all been given an mlmdId: the start-up backfill skips their labels.
// params: none
// returns: kinds (the sequences' kinds: Artifact, Execution, Context, Type)
MATCH (s:IdSequence)
  WHERE s.backfilled = true
RETURN collect(s.kind) AS kinds
