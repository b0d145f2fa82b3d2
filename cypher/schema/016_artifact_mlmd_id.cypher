// MLMD clients name artifacts by an int64 id (mlmdId, per kind, increasing in insertion order).
CREATE CONSTRAINT artifact_mlmd_id IF NOT EXISTS FOR (n:Artifact) REQUIRE n.mlmdId IS UNIQUE
