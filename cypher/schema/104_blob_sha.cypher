// Blobs are content-addressed: one node per distinct (kind, canonical content).
CREATE CONSTRAINT blob_sha IF NOT EXISTS FOR (n:Blob) REQUIRE n.sha IS UNIQUE
