// Idempotent upserts by client-chosen external id.
CREATE CONSTRAINT artifact_external_id IF NOT EXISTS FOR (n:Artifact) REQUIRE n.externalId IS UNIQUE
