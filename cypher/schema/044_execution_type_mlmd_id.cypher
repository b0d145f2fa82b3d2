// MLMD clients name types by an int64 id (mlmdId, one sequence for the three kinds).
CREATE INDEX execution_type_mlmd_id IF NOT EXISTS FOR (t:ExecutionType) ON (t.mlmdId)
