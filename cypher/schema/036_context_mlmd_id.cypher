// MLMD clients name contexts by an int64 id (mlmdId, per kind, increasing in insertion order).
CREATE CONSTRAINT context_mlmd_id IF NOT EXISTS FOR (n:Context) REQUIRE n.mlmdId IS UNIQUE
