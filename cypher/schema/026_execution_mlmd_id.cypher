// MLMD clients name executions by an int64 id (mlmdId, per kind, increasing in insertion order).
CREATE CONSTRAINT execution_mlmd_id IF NOT EXISTS FOR (n:Execution) REQUIRE n.mlmdId IS UNIQUE
